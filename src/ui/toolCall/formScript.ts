// The argument form's in-page script (webviewHtml.ts builds the page and its CSP). Plain ES2017 in
// a string, since the extension's tsconfig has no DOM types; a unit test compiles it to catch syntax
// errors. It renders fields from the state with textContent only and leaves every conversion and
// all validation to the extension host (formValues.ts, toolArgs.ts, validator.ts).
export const FORM_SCRIPT = String.raw`(function () {
  'use strict';
  var vscode = acquireVsCodeApi();
  var state = JSON.parse(document.getElementById('mcp-state').textContent);
  var form = document.getElementById('mcp-form');
  var fieldsEl = document.getElementById('mcp-fields');
  var jsonWrap = document.getElementById('mcp-json-wrap');
  var jsonEl = document.getElementById('mcp-json');
  var jsonErr = document.getElementById('mcp-json-error');
  var formErr = document.getElementById('mcp-form-error');
  var noteEl = document.getElementById('mcp-note');
  var toggle = document.getElementById('mcp-toggle');
  var submit = document.getElementById('mcp-submit');
  var controls = {};
  var errors = {};
  var order = [];
  var lists = {};
  var listButtons = {};
  var mode = state.mode;
  var seq = 0;
  var timer;
  var n = 0;

  function h(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Fields are rendered from the state and the raw values; a list's item count is in raw[key]
  // and its items' values under key/<index>/..., so adding, removing or moving an item rewrites the
  // raw values and renders again (rebuild).
  function render(list, parent, prefix, raw) {
    list.forEach(function (f) { renderField(f, prefix + '/' + f.seg, parent, raw); });
  }

  function labelEl(id, text, required) {
    var label = h('label', { 'for': id }, text);
    if (required) label.appendChild(h('span', { 'class': 'req', 'aria-hidden': 'true' }, '*'));
    return label;
  }

  function renderField(f, key, parent, raw, itemLabel) {
    var id = 'f' + (++n);
    if (f.control === 'group') {
      var fs = h('fieldset', { id: id });
      var legend = h('legend', null, itemLabel || f.label);
      if (f.required && !itemLabel) legend.appendChild(h('span', { 'class': 'req', 'aria-hidden': 'true' }, '*'));
      fs.appendChild(legend);
      if (f.description) fs.appendChild(h('p', { 'class': 'desc' }, f.description));
      render(f.children || [], fs, key, raw);
      var gerr = h('div', { 'class': 'error', id: id + '-err', 'aria-live': 'polite' });
      fs.appendChild(gerr);
      errors[key] = { el: gerr, wrap: fs, control: null };
      parent.appendChild(fs);
      return;
    }
    if (f.control === 'list' && f.item) {
      renderList(f, key, parent, raw, id);
      return;
    }
    var wrap = h('div', { 'class': 'field', 'data-key': key });
    var c;
    if (f.control === 'checkbox') {
      c = h('input', { type: 'checkbox', id: id });
    } else if (f.control === 'tristate' || f.control === 'select') {
      c = h('select', { id: id });
      c.appendChild(h('option', { value: '' }, f.required ? '(choose)' : '(not set)'));
      var opts = f.control === 'tristate' ? ['true', 'false'] : (f.options || []);
      opts.forEach(function (o, i) { c.appendChild(h('option', { value: f.control === 'tristate' ? o : String(i) }, (f.optionLabels && f.optionLabels[i]) || o)); });
    } else if (f.control === 'json') {
      c = h('textarea', { id: id, rows: itemLabel ? '2' : '4', spellcheck: 'false', 'class': 'mono', placeholder: f.placeholder });
    } else {
      c = h('input', { type: f.secret ? 'password' : 'text', id: id, placeholder: f.placeholder, autocomplete: 'off', spellcheck: 'false' });
      if (f.control === 'number') c.setAttribute('inputmode', 'decimal');
    }
    c.setAttribute('aria-describedby', id + '-meta ' + id + '-err');
    if (f.required) c.setAttribute('aria-required', 'true');
    if (itemLabel) {
      // A scalar list item: one row, the control and the item's buttons.
      c.setAttribute('aria-label', itemLabel);
      wrap.appendChild(c);
    } else if (f.control === 'checkbox') {
      var row = h('div', { 'class': 'check' });
      row.appendChild(c);
      row.appendChild(labelEl(id, f.label, f.required));
      wrap.appendChild(row);
    } else {
      wrap.appendChild(labelEl(id, f.label, f.required));
      wrap.appendChild(c);
    }
    if (!itemLabel) {
      var meta = (f.description ? f.description + '\n' : '') + f.meta;
      wrap.appendChild(h('div', { 'class': 'meta', id: id + '-meta' }, meta));
    }
    var err = h('div', { 'class': 'error', id: id + '-err', 'aria-live': 'polite' });
    controls[key] = { el: c, control: f.control };
    errors[key] = { el: err, wrap: wrap, control: c };
    order.push(key);
    if (itemLabel) {
      parent.appendChild(wrap);
      return err;
    }
    wrap.appendChild(err);
    parent.appendChild(wrap);
  }

  function itemButton(text, label, action, key, i, disabled) {
    var b = h('button', { type: 'button', 'class': 'secondary icon', 'aria-label': label, title: label, 'data-list-action': action, 'data-list': key, 'data-index': String(i) }, text);
    if (disabled) b.disabled = true;
    return b;
  }

  function renderList(f, key, parent, raw, id) {
    // No count yet (a new item's inner list): start as the host does (formValues.initialItems).
    var initial = f.minItems !== undefined ? f.minItems : (f.required ? 1 : 0);
    var count = Math.max(0, Math.min(raw[key] === undefined ? initial : Number(raw[key]) || 0, 1000));
    lists[key] = count;
    var fs = h('fieldset', { id: id, 'class': 'list', 'data-key': key });
    var legend = h('legend', null, f.label);
    if (f.required) legend.appendChild(h('span', { 'class': 'req', 'aria-hidden': 'true' }, '*'));
    fs.appendChild(legend);
    fs.appendChild(h('div', { 'class': 'meta', id: id + '-meta' }, (f.description ? f.description + '\n' : '') + f.meta));
    var itemsEl = h('div', { 'class': 'items' });
    if (!count) itemsEl.appendChild(h('div', { 'class': 'empty' }, 'No items.'));
    for (var i = 0; i < count; i++) {
      var itemKey = key + '/' + i;
      var title = f.label + ' \u203a ' + (i + 1);
      var box = h('div', { 'class': 'item', role: 'group', 'aria-label': title });
      var up = itemButton('\u2191', 'Move ' + title + ' up', 'up', key, i, i === 0);
      var down = itemButton('\u2193', 'Move ' + title + ' down', 'down', key, i, i === count - 1);
      var remove = itemButton('\u2715', 'Remove ' + title, 'remove', key, i, false);
      if (f.item.control === 'group' || (f.item.control === 'list' && f.item.item)) {
        var head = h('div', { 'class': 'item-head' });
        head.appendChild(h('span', { 'class': 'item-title' }, title));
        head.appendChild(up); head.appendChild(down); head.appendChild(remove);
        box.appendChild(head);
        if (f.item.control === 'group') render(f.item.children || [], box, itemKey, raw);
        else renderList(f.item, itemKey, box, raw, 'f' + (++n));
        var ierr = h('div', { 'class': 'error', 'aria-live': 'polite' });
        box.appendChild(ierr);
        errors[itemKey] = { el: ierr, wrap: box, control: null };
      } else {
        var rowEl = h('div', { 'class': 'item-row' });
        var rerr = renderField(f.item, itemKey, rowEl, raw, title);
        rowEl.appendChild(up); rowEl.appendChild(down); rowEl.appendChild(remove);
        box.appendChild(rowEl);
        box.appendChild(rerr);
      }
      itemsEl.appendChild(box);
    }
    fs.appendChild(itemsEl);
    var add = h('button', { type: 'button', 'class': 'secondary', 'data-list-action': 'add', 'data-list': key, 'aria-label': 'Add an item to ' + f.label }, '+ Add ' + (f.item.control === 'group' ? 'item' : f.item.label === 'item' ? 'item' : f.item.label));
    if (f.maxItems !== undefined && count >= f.maxItems) add.disabled = true;
    fs.appendChild(add);
    var lerr = h('div', { 'class': 'error', id: id + '-err', 'aria-live': 'polite' });
    fs.appendChild(lerr);
    errors[key] = { el: lerr, wrap: fs, control: add };
    listButtons[key] = add;
    parent.appendChild(fs);
  }

  function rebuild(raw, focus) {
    controls = {}; errors = {}; order = []; lists = {}; listButtons = {};
    while (fieldsEl.firstChild) fieldsEl.removeChild(fieldsEl.firstChild);
    render(state.fields, fieldsEl, '', raw);
    setRaw(raw);
    if (focus) focus();
  }

  // Raw values with the items of list "key" renumbered by map (old index -> new index, or -1: dropped).
  function renumber(raw, key, map) {
    var out = {};
    var pre = key + '/';
    Object.keys(raw).forEach(function (k) {
      if (k.indexOf(pre) !== 0) { out[k] = raw[k]; return; }
      var rest = k.slice(pre.length);
      var j = rest.indexOf('/');
      var idx = Number(j < 0 ? rest : rest.slice(0, j));
      var ni = map(idx);
      if (ni >= 0) out[pre + ni + (j < 0 ? '' : rest.slice(j))] = raw[k];
    });
    return out;
  }

  function listAction(b) {
    var key = b.getAttribute('data-list');
    var action = b.getAttribute('data-list-action');
    var i = Number(b.getAttribute('data-index'));
    var raw = collect();
    var count = lists[key] || 0;
    var focusSel;
    if (action === 'add') {
      raw[key] = String(count + 1);
      var newKey = key + '/' + count;
      rebuild(raw, function () {
        for (var k = 0; k < order.length; k++) if (order[k] === newKey || order[k].indexOf(newKey + '/') === 0) { controls[order[k]].el.focus(); return; }
        if (listButtons[key]) listButtons[key].focus();
      });
    } else {
      if (action === 'remove') {
        raw = renumber(raw, key, function (x) { return x === i ? -1 : x > i ? x - 1 : x; });
        raw[key] = String(count - 1);
        focusSel = count - 1 > i ? ['remove', i] : count - 1 > 0 ? ['remove', i - 1] : null;
      } else {
        var j = action === 'up' ? i - 1 : i + 1;
        if (j < 0 || j >= count) return;
        raw = renumber(raw, key, function (x) { return x === i ? j : x === j ? i : x; });
        raw[key] = String(count);
        focusSel = [action, j];
      }
      rebuild(raw, function () {
        var el = focusSel ? fieldsEl.querySelector('button[data-list-action="' + focusSel[0] + '"][data-index="' + focusSel[1] + '"][data-list="' + key.replace(/["\\]/g, '\\$&') + '"]') : null;
        if (el && !el.disabled) el.focus();
        else if (listButtons[key]) listButtons[key].focus();
      });
    }
    schedule();
  }

  function setRaw(raw) {
    Object.keys(controls).forEach(function (k) {
      var c = controls[k];
      var v = raw[k];
      if (c.control === 'checkbox') c.el.checked = v === true || v === 'true';
      else c.el.value = v === undefined || v === null ? '' : String(v);
    });
  }

  function collect() {
    var raw = {};
    Object.keys(controls).forEach(function (k) {
      var c = controls[k];
      raw[k] = c.control === 'checkbox' ? c.el.checked : c.el.value;
    });
    Object.keys(lists).forEach(function (k) { raw[k] = String(lists[k]); });
    return raw;
  }

  function showErrors(map) {
    map = map || {};
    Object.keys(errors).forEach(function (k) {
      var msg = map[k] || '';
      var e = errors[k];
      e.el.textContent = msg;
      e.wrap.classList.toggle('invalid', !!msg);
      if (e.control) {
        if (msg) e.control.setAttribute('aria-invalid', 'true');
        else e.control.removeAttribute('aria-invalid');
      }
    });
    var general = map[''] || '';
    formErr.textContent = mode === 'form' ? general : '';
    jsonErr.textContent = mode === 'json' ? general : '';
    jsonEl.classList.toggle('invalid', mode === 'json' && !!general);
    if (mode === 'json') {
      if (general) jsonEl.setAttribute('aria-invalid', 'true');
      else jsonEl.removeAttribute('aria-invalid');
    }
  }

  function focusFirst(invalidOnly) {
    if (mode === 'json') { jsonEl.focus(); return; }
    for (var i = 0; i < order.length; i++) {
      var e = errors[order[i]];
      if (e && (!invalidOnly || e.el.textContent)) { e.control.focus(); return; }
    }
    // Details mode: focus never rests on Call, so a second Enter after selecting a tool runs nothing.
    if (!invalidOnly && !state.details) submit.focus();
  }

  function setMode(m) {
    mode = m;
    fieldsEl.hidden = m !== 'form';
    jsonWrap.hidden = m !== 'json' || !!state.noArgs;
    toggle.textContent = m === 'json' ? 'Edit as Form' : 'Edit as JSON';
    toggle.hidden = !!state.jsonOnly || !!state.noArgs;
    showErrors({});
  }

  function post(type, extra) {
    var msg = mode === 'json' ? { mode: 'json', json: jsonEl.value } : { mode: 'form', raw: collect() };
    msg.type = type;
    msg.seq = ++seq;
    if (extra) Object.keys(extra).forEach(function (k) { msg[k] = extra[k]; });
    vscode.postMessage(msg);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { post('validate'); }, 250);
  }

  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); post('submit'); });
  toggle.addEventListener('click', function () { clearTimeout(timer); post('switch', { to: mode === 'json' ? 'form' : 'json' }); });
  document.getElementById('mcp-cancel').addEventListener('click', function () { post('cancel'); });
  var decline = document.getElementById('mcp-decline');
  if (decline) decline.addEventListener('click', function () { post('decline'); });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var tag = t && t.tagName;
    if (e.key === 'Escape') { e.preventDefault(); post('cancel'); return; }
    if (e.key !== 'Enter' || e.isComposing) return;
    if (e.ctrlKey || e.metaKey) { e.preventDefault(); clearTimeout(timer); post('submit'); return; }
    // Text inputs submit natively; make checkboxes and selects do the same.
    if (tag === 'SELECT' || (tag === 'INPUT' && t.type === 'checkbox')) { e.preventDefault(); clearTimeout(timer); post('submit'); }
  });

  window.addEventListener('message', function (e) {
    var m = e.data || {};
    if (m.type === 'errors') {
      if (typeof m.seq === 'number' && m.seq < seq) return; // an older answer; a newer one follows
      showErrors(m.errors);
      if (m.focus) focusFirst(true);
    } else if (m.type === 'setJson') {
      jsonEl.value = m.json;
      setMode('json');
      focusFirst(false);
    } else if (m.type === 'setForm') {
      rebuild(m.raw || {});
      setMode('form');
      focusFirst(false);
    } else if (m.type === 'note') {
      noteEl.textContent = m.text || '';
      noteEl.hidden = !m.text;
    } else if (m.type === 'busy') {
      submit.disabled = !!m.busy;
    }
  });

  fieldsEl.addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest('button[data-list-action]') : null;
    if (b && !b.disabled) { e.preventDefault(); listAction(b); }
  });
  rebuild(state.raw);
  jsonEl.value = state.json;
  setMode(state.mode);
  noteEl.textContent = state.note || '';
  noteEl.hidden = !state.note;
  if (state.errors) showErrors(state.errors);
  focusFirst(false);
})();`;
