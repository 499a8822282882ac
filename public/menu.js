// The staff menu's groups are <details>: they open by click, touch, Enter or Space without this file.
// This only makes them behave as menus: one open at a time, Escape closes (focus back on its title),
// a click or tap elsewhere closes.
(function () {
  var menus = Array.prototype.slice.call(document.querySelectorAll('nav.staff-nav details.menu'));
  if (!menus.length) return;
  menus.forEach(function (menu) {
    menu.addEventListener('toggle', function () {
      if (!menu.open) return;
      menus.forEach(function (other) { if (other !== menu) other.open = false; });
    });
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    menus.forEach(function (menu) {
      if (!menu.open) return;
      menu.open = false;
      menu.querySelector('summary').focus();
    });
  });
  document.addEventListener('click', function (event) {
    menus.forEach(function (menu) { if (menu.open && !menu.contains(event.target)) menu.open = false; });
  });
})();
