// Selecting text in the article fills the "quote" field; without JavaScript it is typed instead.
// Works over text inside claim and suggestion marks (links): dragging a link is turned off and
// a click that ends a selection does not follow the link. From the keyboard: the "Choose a
// passage with the keyboard" button shows the text as a list of its sentences (the server's,
// in each paragraph's data-sentences) to move through and extend with the arrow keys; Enter
// selects the chosen sentences and quotes them as a mouse selection is quoted. A selection
// made with caret browsing (F7) or assistive technology is quoted with Enter too.
(function () {
  var article = document.getElementById("article-text");
  var target = document.querySelector("[data-quote-target]");
  if (!article || !target) return;
  article.querySelectorAll("a").forEach(function (link) { link.draggable = false; });

  function selectedText() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) return "";
    if (!article.contains(selection.anchorNode) || !article.contains(selection.focusNode)) return "";
    return selection.toString().replace(/\s+/g, " ").trim();
  }
  function take(focus) {
    var text = selectedText();
    if (!text) return false;
    target.value = text;
    if (focus) target.focus();
    return true;
  }
  // A drag that starts on a link (a claim's or a suggestion's mark) would drag the link, not
  // select its text: the selection is made here from the points under the mouse instead.
  var start = null;
  var dragged = false;
  function caretAt(x, y) {
    if (document.caretRangeFromPoint) return document.caretRangeFromPoint(x, y);
    var p = document.caretPositionFromPoint && document.caretPositionFromPoint(x, y);
    if (!p) return null;
    var r = document.createRange(); r.setStart(p.offsetNode, p.offset); return r;
  }
  article.addEventListener("mousedown", function (event) {
    start = null; dragged = false;
    if (event.button !== 0 || !event.target.closest("a")) return;
    start = caretAt(event.clientX, event.clientY);
    if (start) event.preventDefault();
  });
  document.addEventListener("mousemove", function (event) {
    if (!start || !(event.buttons & 1)) return;
    var end = caretAt(event.clientX, event.clientY);
    if (!end || !article.contains(end.startContainer)) return;
    var selection = window.getSelection();
    selection.setBaseAndExtent(start.startContainer, start.startOffset,
                               end.startContainer, end.startOffset);
    dragged = !selection.isCollapsed;
  });
  document.addEventListener("mouseup", function () { start = null; });
  // The click that ends a selection comes after mouseup has moved focus to the form.
  var justSelected = false;
  document.addEventListener("selectionchange", function () { take(false); });
  article.addEventListener("mouseup", function () { justSelected = take(true) || dragged; });
  article.addEventListener("click", function (event) {
    if ((justSelected || selectedText()) && event.target.closest("a")) event.preventDefault();
    justSelected = false; dragged = false;
  });
  article.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && take(true)) event.preventDefault();
  });

  var button = document.getElementById("pick-sentences");
  var status = document.getElementById("pick-status");
  if (!button || !status) return;
  document.getElementById("passage-picker").hidden = false;
  var jsHint = document.getElementById("quote-hint-js");
  if (jsHint) jsHint.hidden = false;
  var picker = null;  // the list of sentences while choosing, else null
  var options = [];
  var anchor = 0;
  var current = 0;

  // [start, end] pairs of a paragraph's sentences, in UTF-16 units of its text; one sentence
  // (the whole paragraph) when the attribute is missing or does not fit the text.
  function sentencesOf(para) {
    var length = para.textContent.length;
    var numbers = (para.getAttribute("data-sentences") || "").split(" ").filter(Boolean).map(Number);
    var fits = numbers.length % 2 === 0 && numbers.every(function (n, i) {
      return n >= (i ? numbers[i - 1] : 0) && n <= length;
    });
    if (!numbers.length || !fits) numbers = length ? [0, length] : [];
    var pairs = [];
    for (var i = 0; i < numbers.length; i += 2) pairs.push([numbers[i], numbers[i + 1]]);
    return pairs;
  }
  // A copy of part of the text without its links (marks stay), to sit inside an option.
  function copy(range) {
    var part = range.cloneContents();
    part.querySelectorAll("a").forEach(function (link) {
      var span = document.createElement("span");
      span.className = link.className;
      while (link.firstChild) span.appendChild(link.firstChild);
      link.replaceWith(span);
    });
    return part;
  }
  // The paragraph rebuilt: each sentence an option, the white space between them as text.
  function listed(para, box) {
    var nodes = [];
    var walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var index = 0;
    var base = 0;
    function point(offset, atStart) {  // the text node and offset `offset` units in
      while (index < nodes.length - 1 &&
             (atStart ? offset >= base + nodes[index].length : offset > base + nodes[index].length)) {
        base += nodes[index].length; index += 1;
      }
      return nodes.length ? [nodes[index], Math.min(offset - base, nodes[index].length)] : [para, 0];
    }
    var out = document.createElement("p");
    out.setAttribute("role", "none");
    var range = document.createRange();
    range.setStart(para, 0);
    sentencesOf(para).forEach(function (pair) {
      var start = point(pair[0], true);
      range.setEnd(start[0], start[1]);
      out.appendChild(document.createTextNode(range.toString()));  // white space only
      range.setStart(start[0], start[1]);
      var end = point(pair[1], false);
      range.setEnd(end[0], end[1]);
      var option = document.createElement("span");
      option.className = "sentence";
      option.id = "sentence-" + (options.length + 1);
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.tabIndex = -1;
      option.appendChild(copy(range));
      options.push(option);
      out.appendChild(option);
      range.setStart(end[0], end[1]);
    });
    range.setEnd(para, para.childNodes.length);
    out.appendChild(document.createTextNode(range.toString()));
    box.appendChild(out);
  }
  function chosen() {
    return options.slice(Math.min(anchor, current), Math.max(anchor, current) + 1);
  }
  function show(announce) {
    var picked = chosen();
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", picked.indexOf(option) >= 0 ? "true" : "false");
      option.tabIndex = i === current ? 0 : -1;
    });
    options[current].focus();
    if (!announce) return;
    var first = options.indexOf(picked[0]) + 1;
    var text = picked.map(function (o) { return o.textContent; }).join(" ");
    status.textContent = (picked.length > 1
      ? "Sentences " + first + " to " + (first + picked.length - 1)
      : "Sentence " + first) + " of " + options.length + " chosen: " + text;
  }
  function enter() {
    picker = document.createElement("div");
    picker.className = "sentence-picker";
    picker.setAttribute("role", "listbox");
    picker.setAttribute("aria-multiselectable", "true");
    picker.setAttribute("aria-label", "Sentences of the article");
    picker.setAttribute("aria-describedby", "pick-help");
    options = [];
    var paras = Array.prototype.filter.call(article.children, function (el) {
      return el.tagName === "P";
    });
    paras.forEach(function (para) { listed(para, picker); para.hidden = true; });
    if (!options.length) { leave(); status.textContent = "The article has no text to choose from."; return; }
    article.appendChild(picker);
    button.setAttribute("aria-pressed", "true");
    picker.addEventListener("keydown", onKey);
    picker.addEventListener("click", onClick);
    picker.addEventListener("focusout", function (event) {
      if (event.relatedTarget && picker && !picker.contains(event.relatedTarget)) leave();
    });
    anchor = current = 0;
    show(true);
  }
  function leave() {
    if (picker) picker.remove();
    picker = null;
    options = [];
    Array.prototype.forEach.call(article.children, function (el) {
      if (el.tagName === "P") el.hidden = false;
    });
    button.setAttribute("aria-pressed", "false");
  }
  // The chosen sentences become the page's selection, quoted as a mouse selection is.
  function quote() {
    var picked = chosen();
    var last = picked[picked.length - 1];
    window.getSelection().setBaseAndExtent(picked[0], 0, last, last.childNodes.length);
    var text = selectedText();
    if (!take(true)) return;
    leave();
    status.textContent = "Quoted in the new claim form: " + text;
  }
  function onKey(event) {
    var step = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1}[event.key];
    var to = null;
    if (step) to = current + step;
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = options.length - 1;
    if (to !== null) {
      current = Math.max(0, Math.min(options.length - 1, to));
      if (!event.shiftKey) anchor = current;
      show(true);
    } else if (event.key === "Enter") {
      quote();
    } else if (event.key === "Escape") {
      leave();
      button.focus();
      status.textContent = "Left the sentence list; nothing was quoted.";
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }
  function onClick(event) {
    var option = event.target.closest(".sentence");
    if (!option) return;
    current = options.indexOf(option);
    if (!event.shiftKey) anchor = current;
    show(true);
  }
  button.addEventListener("click", function () {
    if (picker) { leave(); return; }
    enter();
  });
})();
