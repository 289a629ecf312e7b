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
  // The click that ends a selection comes after mouseup has moved focus to the form.
  var justSelected = false;
  document.addEventListener("selectionchange", function () { take(false); });
  article.addEventListener("mousedown", function () { justSelected = false; });
  article.addEventListener("mouseup", function () { justSelected = take(true); });
  article.addEventListener("click", function (event) {
    if ((justSelected || selectedText()) && event.target.closest("a")) event.preventDefault();
    justSelected = false;
  });
  article.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && take(true)) event.preventDefault();
  });
})();
