// Suggestions as a person types in a search box marked data-suggest: the matching items' names, from
// the small JSON endpoint (/api/v1/suggest), offered through the box's <datalist>. No library, no CDN;
// without JavaScript the box is an ordinary search box.
(function () {
  'use strict';
  var boxes = document.querySelectorAll('input[data-suggest]');
  Array.prototype.forEach.call(boxes, function (input) {
    var list = document.getElementById(input.getAttribute('list'));
    if (!list) return;
    var timer = null;
    var asked = '';
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q || q === asked) return;
      timer = setTimeout(function () {
        asked = q;
        fetch(input.getAttribute('data-suggest') + '?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (body) {
            if (input.value.trim() !== q) return;
            while (list.firstChild) list.removeChild(list.firstChild);
            var seen = {};
            (body.suggestions || []).forEach(function (s) {
              if (seen[s.name]) return;
              seen[s.name] = true;
              var option = document.createElement('option');
              option.value = s.name;
              option.label = s.department;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
})();
