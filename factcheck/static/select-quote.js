// Selecting text in the article fills the "quote" field; without JavaScript it is typed instead.
(function () {
  var article = document.getElementById("article-text");
  var target = document.querySelector("[data-quote-target]");
  if (!article || !target) return;
  article.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    if (!article.contains(selection.anchorNode) || !article.contains(selection.focusNode)) return;
    var text = selection.toString().trim();
    if (text) { target.value = text; target.focus(); }
  });
})();
