// Sorting, filtering, opening rows, copy buttons and chart clicks for the triage report.
// The page reads fine without this script; it only adds interaction.
(function () {
  'use strict';
  var doc = document;
  // Runs in <head>: marks the page at once, so the style sheet shows only the first rows while it loads.
  doc.documentElement.classList.add('js');
  if (doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }

  function start() {
    var table = doc.getElementById('incident-table');
    if (!table) {
      return;
    }
    // The table holds only the rows shown, at most PAGE more than asked for ("Show more"): laying out
    // rows is what filtering costs (measured at about half a millisecond per row under load, see
    // docs/html-report.md), the matching itself is a loop over precomputed strings. The other rows
    // wait outside the document, so that they cost nothing at all.
    var PAGE = 100;
    var limit = PAGE;
    var more = doc.getElementById('more');
    var slice = function (list) { return Array.prototype.slice.call(list); };
    var heads = slice(table.tHead.rows[0].cells);
    var keys = heads.map(function (th) { return th.getAttribute('data-key'); });
    // One item per incident; cell values and lower-case search text are read once (in idle time
    // after load, or when first needed).
    var items = slice(table.tBodies).map(function (body, order) {
      return { body: body, order: order, values: null, text: null };
    });
    var inOrder = items.slice();
    var shown = slice(table.tBodies);
    var filters = doc.getElementById('filters');
    var selects = slice(filters.querySelectorAll('select'));
    var search = doc.getElementById('search');
    var count = doc.getElementById('count');
    var itemOf = new Map(items.map(function (item) { return [item.body, item]; }));
    // Large reports carry the details as data (see DetailsData.java), read once, when first needed.
    var dataElement = doc.getElementById('details-data');
    var reading = null;
    var details = null;
    var severitySelect = filters.querySelector('select[data-column=severity]');
    var severityOrder = severitySelect ? slice(severitySelect.options).map(function (o) { return o.value; }) : [];

    function values(item) {
      if (!item.values) {
        item.values = slice(item.body.rows[0].cells).map(function (cell) { return cell.textContent; });
      }
      return item.values;
    }

    function searchText(item) {
      if (item.text === null) {
        item.text = (item.body.rows[0].textContent + '\n' + (details ? detailText(details[item.order])
          : dataElement ? '' : item.body.textContent)).toLowerCase();
      }
      return item.text;
    }

    // Reads every row's values and search text in small steps while the page is idle, so that the
    // first filter or search does not pay for reading 10,000 rows.
    var idle = window.requestIdleCallback ? function (step) { window.requestIdleCallback(step, { timeout: 1000 }); }
      : function (step) { setTimeout(step, 0); };
    var preparing = 0;
    function prepare(from, round) {
      if (round !== preparing) {
        return; // the details arrived meanwhile: a new round started over
      }
      var end = Math.min(inOrder.length, from + 250);
      for (var i = from; i < end; i++) {
        values(inOrder[i]);
        searchText(inOrder[i]);
      }
      if (end < inOrder.length) {
        idle(function () { prepare(end, round); });
      } else {
        table.setAttribute('data-prepared', details || !dataElement ? 'all' : 'rows');
      }
    }

    function apply() {
      var wanted = [];
      selects.forEach(function (select) {
        if (select.value !== '') {
          wanted.push({ index: keys.indexOf(select.getAttribute('data-column')), value: select.value });
        }
      });
      var query = search.value.trim().toLowerCase();
      var matched = 0;
      var next = [];
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        var match = true;
        for (var j = 0; j < wanted.length && match; j++) {
          match = values(item)[wanted[j].index] === wanted[j].value;
        }
        if (match && query) {
          match = searchText(item).indexOf(query) >= 0;
        }
        if (match) {
          if (matched < limit) {
            next.push(item.body);
          }
          matched++;
        }
      }
      show(next);
      count.textContent = (matched === items.length ? 'all ' + matched + ' incidents'
        : matched + ' of ' + items.length + ' incidents') + (matched > limit ? ', first ' + limit + ' shown' : '');
      more.hidden = matched <= limit;
      more.textContent = 'Show ' + Math.min(PAGE, matched - limit) + ' more';
      markBars();
    }

    // Puts exactly these row groups in the table, in this order, touching only what changes: rows
    // that stay are neither removed nor laid out again.
    function show(next) {
      var keep = new Set(next);
      shown.forEach(function (body) {
        if (!keep.has(body)) {
          body.remove();
        }
      });
      var cursor = table.tHead.nextElementSibling;
      next.forEach(function (body) {
        if (body === cursor) {
          cursor = cursor.nextElementSibling;
        } else {
          table.insertBefore(body, cursor);
        }
      });
      shown = next;
    }

    function refilter() {
      limit = PAGE;
      apply();
    }

    function sortBy(index) {
      var th = heads[index];
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var numeric = th.getAttribute('data-numeric') === 'true';
      var bySeverity = keys[index] === 'severity';
      var key = function (item) {
        var value = values(item)[index];
        if (bySeverity) {
          var rank = severityOrder.indexOf(value);
          return rank < 0 ? severityOrder.length : rank;
        }
        if (numeric) {
          var number = parseFloat(value);
          return isNaN(number) ? -1 : number;
        }
        return value;
      };
      items.sort(function (a, b) {
        var x = key(a);
        var y = key(b);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return (ascending ? order : -order) || a.order - b.order;
      });
      apply();
    }

    function toggle(body) {
      var open = body.classList.toggle('open');
      body.rows[0].setAttribute('aria-expanded', String(open));
      var more = body.querySelector('tr.more details');
      if (more) {
        more.open = open;
        if (open) {
          addCopyButtons(body);
        }
      } else if (open && dataElement) {
        readDetails().then(function (list) {
          if (!body.querySelector('tr.more')) {
            body.appendChild(renderDetail(list[itemOf.get(body).order]));
          }
          addCopyButtons(body);
        });
      }
    }

    function readDetails() {
      if (!reading) {
        var binary = atob(dataElement.textContent.trim());
        var bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) {
          bytes[i] = binary.charCodeAt(i);
        }
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
        reading = new Response(stream).json().then(function (list) {
          details = list;
          items.forEach(function (item) { item.text = null; });
          var round = ++preparing;
          idle(function () { prepare(0, round); });
          return list;
        });
      }
      return reading;
    }

    function detailText(detail) {
      var parts = [];
      var facts = function (list) {
        list.forEach(function (fact) { parts.push(fact.label, fact.value, fact.items.join('\n')); });
      };
      facts(detail.facts);
      facts(detail.verdict);
      facts(detail.lifecycle);
      parts.push(detail.replayCommand || '');
      return parts.join('\n');
    }

    // The same markup as detail.jte, built with text nodes only: no value is ever parsed as HTML.
    function element(name, className, text) {
      var e = doc.createElement(name);
      if (className) {
        e.className = className;
      }
      if (text !== undefined && text !== null) {
        e.textContent = text;
      }
      return e;
    }

    function factList(facts) {
      var dl = element('dl');
      facts.forEach(function (fact) {
        dl.appendChild(element('dt', null, fact.label));
        var dd = element('dd');
        if (fact.code && fact.value !== '') {
          dd.appendChild(element('code', null, fact.value));
        } else {
          dd.appendChild(doc.createTextNode(fact.value));
        }
        if (fact.items.length) {
          var ul = element('ul');
          fact.items.forEach(function (item) {
            var li = element('li');
            li.appendChild(fact.code ? element('code', null, item) : doc.createTextNode(item));
            ul.appendChild(li);
          });
          dd.appendChild(ul);
        }
        dl.appendChild(dd);
      });
      return dl;
    }

    function renderDetail(detail) {
      var row = element('tr', 'more');
      var cell = element('td');
      cell.colSpan = heads.length;
      row.appendChild(cell);
      var box = element('details');
      box.open = true;
      box.appendChild(element('summary', null, 'Details'));
      cell.appendChild(box);
      var grid = element('div', 'detail');
      box.appendChild(grid);
      var first = element('div');
      first.appendChild(factList(detail.facts));
      grid.appendChild(first);
      if (detail.verdict.length || detail.lifecycle.length) {
        var second = element('div');
        if (detail.verdict.length) {
          second.appendChild(element('h4', null, 'Flaky verdict'));
          second.appendChild(factList(detail.verdict));
        }
        if (detail.lifecycle.length) {
          second.appendChild(element('h4', null, 'Lifecycle'));
          second.appendChild(factList(detail.lifecycle));
        }
        grid.appendChild(second);
      }
      if (detail.replay) {
        box.appendChild(element('h4', null, 'Replay'));
        box.appendChild(element('p', null, detail.replay.summary));
        detail.replay.attempts.forEach(function (attempt) {
          var one = element('details', 'attempt');
          one.appendChild(element('summary', null, attempt.title));
          if (attempt.transcript !== null) {
            var named = element('p', 'note', 'Transcript ');
            named.appendChild(element('code', null, attempt.transcript));
            one.appendChild(named);
          }
          if (attempt.note !== null) {
            one.appendChild(element('p', 'note', attempt.note));
          }
          if (attempt.output !== null) {
            one.appendChild(element('pre', null, attempt.output));
          }
          box.appendChild(one);
        });
      }
      if (detail.replayCommand !== null) {
        box.appendChild(element('h4', null, 'Replay command'));
        var command = element('div', 'cmd');
        var pre = element('pre');
        pre.appendChild(element('code', null, detail.replayCommand));
        command.appendChild(pre);
        box.appendChild(command);
      }
      return row;
    }

    function addCopyButtons(scope) {
      slice(scope.querySelectorAll('.cmd pre')).forEach(function (pre) {
        var next = pre.nextElementSibling;
        if (next && next.classList.contains('copy')) {
          return;
        }
        var button = doc.createElement('button');
        button.type = 'button';
        button.className = 'copy';
        button.textContent = 'Copy';
        button.title = 'Copy the replay command';
        button.addEventListener('click', function (event) {
          event.stopPropagation();
          copy(pre.textContent, button);
        });
        pre.insertAdjacentElement('afterend', button);
      });
    }

    function copy(text, button) {
      var done = function (ok) {
        button.textContent = ok ? 'Copied' : 'Select and copy';
        setTimeout(function () { button.textContent = 'Copy'; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(copyBySelection(text)); });
      } else {
        done(copyBySelection(text));
      }
    }

    function copyBySelection(text) {
      var area = doc.createElement('textarea');
      area.value = text;
      area.readOnly = true;
      area.className = 'offscreen';
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = doc.execCommand('copy');
      } catch (e) {
        ok = false;
      }
      area.remove();
      return ok;
    }

    // Chart bars set the filter of their figure's column; clicking the picked bar again clears it.
    var bars = [];
    slice(doc.querySelectorAll('figure[data-filter] .bar')).forEach(function (bar) {
      var value = bar.getAttribute('data-value');
      var figure = bar.closest('figure');
      var select = filters.querySelector('select[data-column="' + figure.getAttribute('data-filter') + '"]');
      if (!value || !select) {
        return;
      }
      bars.push({ bar: bar, figure: figure, select: select, value: value });
      bar.setAttribute('role', 'button');
      bar.setAttribute('tabindex', '0');
      var pick = function () {
        select.value = select.value === value ? '' : value;
        refilter();
      };
      bar.addEventListener('click', pick);
      bar.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          pick();
        }
      });
    });

    function markBars() {
      bars.forEach(function (b) {
        var picked = b.select.value === b.value;
        b.bar.classList.toggle('picked', picked);
        b.figure.classList.toggle('picking', b.select.value !== '');
      });
    }

    heads.forEach(function (th, index) {
      var button = doc.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () { sortBy(index); });
    });
    items.forEach(function (item) {
      var row = item.body.rows[0];
      row.tabIndex = 0;
      row.setAttribute('aria-expanded', 'false');
    });
    table.addEventListener('click', function (event) {
      var row = event.target.closest('tr.row');
      if (row && !String(window.getSelection())) {
        toggle(row.parentNode);
      }
    });
    table.addEventListener('keydown', function (event) {
      if ((event.key === 'Enter' || event.key === ' ') && event.target.matches('tr.row')) {
        event.preventDefault();
        toggle(event.target.parentNode);
      }
    });
    selects.forEach(function (select) { select.addEventListener('change', refilter); });
    search.addEventListener('input', refilter);
    doc.getElementById('reset').addEventListener('click', function () {
      selects.forEach(function (select) { select.value = ''; });
      search.value = '';
      refilter();
    });
    more.addEventListener('click', function () {
      limit += PAGE;
      apply();
    });
    filters.hidden = false;
    apply();
    table.classList.add('ready');
    idle(function () { prepare(0, preparing); });
    if (dataElement) {
      // Read the details in the background, so that searching covers them; search again once read.
      readDetails().then(function () {
        if (search.value.trim()) {
          apply();
        }
      });
    }
  }
}());
