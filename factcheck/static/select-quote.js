// Selecting text in the article fills the "quote" field; without JavaScript it is typed instead.
// Works over text inside claim and suggestion marks (links): dragging a link is turned off and
// a click that ends a selection does not follow the link. From the keyboard: select with caret
// browsing (F7) or assistive technology, then press Enter in the text to move to the form.
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
})();
