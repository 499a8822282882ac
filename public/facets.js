// The item list's facet groups are collapsed on a phone; on a wide screen they open, beside the list.
// Without this script they stay as the server sent them (the links work either way).
(function () {
  if (!window.matchMedia || !window.matchMedia('(min-width: 56rem)').matches) return;
  document.querySelectorAll('details.facet').forEach(function (d) { d.open = true; });
})();
