// The item form's legal-basis rows in the page (views/partials/catalogue/citation-rows.hbs): rows added,
// moved and removed without a round trip, and each title looked up in the registry as it is typed
// (/api/v1/instrument-suggestions). Without this script the same buttons post the form back unsaved.
(function () {
  'use strict';

  function renumber(fieldset) {
    var section = fieldset.getAttribute('data-section');
    var rows = fieldset.querySelectorAll('.citation-row');
    rows.forEach(function (row, i) {
      row.querySelectorAll('[id]').forEach(function (el) {
        el.id = el.id.replace(/-\d+$/, '-' + i);
      });
      row.querySelectorAll('label[for]').forEach(function (el) {
        el.setAttribute('for', el.getAttribute('for').replace(/-\d+$/, '-' + i));
      });
      row.querySelectorAll('[aria-controls]').forEach(function (el) {
        el.setAttribute('aria-controls', el.getAttribute('aria-controls').replace(/-\d+$/, '-' + i));
      });
      row.querySelectorAll('[data-move]').forEach(function (b) {
        var verb = b.getAttribute('data-move');
        b.name = 'rowAction:' + section + ':' + verb + ':' + i;
        if (verb === 'up') b.disabled = i === 0;
        if (verb === 'down') b.disabled = i === rows.length - 1;
      });
    });
  }

  function clearRow(row) {
    row.querySelectorAll('input, textarea').forEach(function (el) {
      el.value = '';
    });
    row.querySelectorAll('select').forEach(function (el) {
      el.selectedIndex = 0;
    });
    var badge = row.querySelector('.instrument-status');
    if (badge) {
      badge.textContent = '';
      badge.className = 'badge instrument-status status-unknown';
    }
    hideHits(row);
  }

  function hideHits(row) {
    var list = row.querySelector('.instrument-hits');
    var input = row.querySelector('.instrument-search');
    if (list) {
      list.hidden = true;
      list.innerHTML = '';
    }
    if (input) {
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }
  }

  function setStatus(fieldset, row, text, status) {
    var badge = row.querySelector('.instrument-status');
    if (!badge) return;
    badge.textContent = text;
    badge.className = 'badge instrument-status status-' + (status || 'unknown');
  }

  function choose(fieldset, row, hit) {
    row.querySelector('.instrument-search').value = hit.title;
    row.querySelector('.instrument-id').value = String(hit.id);
    setStatus(fieldset, row, fieldset.getAttribute('data-registered') + ' · ' + hit.statusName, hit.status);
    hideHits(row);
    var next = row.querySelector('.cite-num');
    if (next) next.focus();
  }

  function showHits(fieldset, row, hits) {
    var list = row.querySelector('.instrument-hits');
    var input = row.querySelector('.instrument-search');
    list.innerHTML = '';
    if (hits.length === 0) {
      var none = document.createElement('li');
      none.className = 'none';
      none.textContent = fieldset.getAttribute('data-no-hits');
      list.appendChild(none);
    }
    hits.forEach(function (hit, i) {
      var li = document.createElement('li');
      li.id = list.id + '-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      var title = document.createElement('span');
      title.textContent = hit.title;
      var status = document.createElement('span');
      status.className = 'badge status-' + hit.status;
      status.textContent = hit.statusName;
      var rank = document.createElement('span');
      rank.className = 'badge';
      rank.textContent = hit.rankName;
      li.appendChild(title);
      li.appendChild(status);
      li.appendChild(rank);
      if (hit.effectiveOn) {
        var date = document.createElement('span');
        date.className = 'muted small';
        date.textContent = hit.effectiveOn;
        li.appendChild(date);
      }
      li.addEventListener('mousedown', function (e) {
        e.preventDefault();
        choose(fieldset, row, hit);
      });
      li._hit = hit;
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function moveActive(row, step) {
    var options = Array.prototype.slice.call(row.querySelectorAll('.instrument-hits li[role=option]'));
    if (options.length === 0) return;
    var at = options.findIndex(function (o) {
      return o.getAttribute('aria-selected') === 'true';
    });
    var next = (at + step + options.length) % options.length;
    options.forEach(function (o, i) {
      o.setAttribute('aria-selected', i === next ? 'true' : 'false');
    });
    row.querySelector('.instrument-search').setAttribute('aria-activedescendant', options[next].id);
    options[next].scrollIntoView({ block: 'nearest' });
  }

  function wire(fieldset) {
    var url = fieldset.getAttribute('data-suggest');
    var timers = new WeakMap();
    var asked = new WeakMap();

    fieldset.addEventListener('click', function (e) {
      var button = e.target.closest('[data-move]');
      if (!button || !fieldset.contains(button)) return;
      e.preventDefault();
      var verb = button.getAttribute('data-move');
      var list = fieldset.querySelector('.citation-list');
      var row = button.closest('.citation-row');
      if (verb === 'add') {
        var last = list.querySelector('.citation-row:last-child');
        var copy = last.cloneNode(true);
        clearRow(copy);
        list.appendChild(copy);
        renumber(fieldset);
        copy.querySelector('.instrument-search').focus();
        return;
      }
      if (verb === 'remove') {
        if (list.querySelectorAll('.citation-row').length === 1) clearRow(row);
        else row.remove();
      } else if (verb === 'up' && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
      } else if (verb === 'down' && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
      }
      renumber(fieldset);
      var again = row.isConnected ? row.querySelector('[data-move="' + verb + '"]') : null;
      if (again && !again.disabled) again.focus();
    });

    fieldset.addEventListener('input', function (e) {
      var input = e.target;
      if (!input.classList || !input.classList.contains('instrument-search')) return;
      var row = input.closest('.citation-row');
      // A title typed by hand is no longer the instrument chosen: it is matched again when saved.
      row.querySelector('.instrument-id').value = '';
      setStatus(fieldset, row, input.value.trim() ? fieldset.getAttribute('data-unregistered') : '', 'unknown');
      clearTimeout(timers.get(row));
      var q = input.value.trim();
      if (q.length < 1) {
        hideHits(row);
        return;
      }
      timers.set(
        row,
        setTimeout(function () {
          var ticket = {};
          asked.set(row, ticket);
          fetch(url + '?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
            .then(function (r) {
              return r.ok ? r.json() : { instruments: [] };
            })
            .then(function (body) {
              if (asked.get(row) !== ticket || input.value.trim() !== q) return;
              showHits(fieldset, row, body.instruments || []);
            })
            .catch(function () {
              hideHits(row);
            });
        }, 200),
      );
    });

    fieldset.addEventListener('keydown', function (e) {
      var input = e.target;
      if (!input.classList || !input.classList.contains('instrument-search')) return;
      var row = input.closest('.citation-row');
      var list = row.querySelector('.instrument-hits');
      if (list.hidden) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        moveActive(row, e.key === 'ArrowDown' ? 1 : -1);
      } else if (e.key === 'Enter') {
        var active = list.querySelector('li[aria-selected=true]') || list.querySelector('li[role=option]');
        e.preventDefault();
        if (active && active._hit) choose(fieldset, row, active._hit);
        else hideHits(row);
      } else if (e.key === 'Escape') {
        hideHits(row);
      }
    });

    fieldset.addEventListener('focusout', function (e) {
      var input = e.target;
      if (!input.classList || !input.classList.contains('instrument-search')) return;
      var row = input.closest('.citation-row');
      setTimeout(function () {
        if (document.activeElement !== input) hideHits(row);
      }, 150);
    });
  }

  document.querySelectorAll('fieldset.citation-rows').forEach(wire);

  // Enter in a one-line field saves the form (without this script it does nothing: the first submit
  // control is the first row's disabled 上移, so a row is never moved by Enter).
  var save = document.getElementById('save');
  if (save && save.form) {
    save.form.addEventListener('keydown', function (e) {
      var t = e.target;
      if (e.key !== 'Enter' || e.defaultPrevented || t.tagName !== 'INPUT' || t.type === 'submit' || t.type === 'checkbox') return;
      e.preventDefault();
      save.click();
    });
  }
})();
