// expertise web: drag and drop for the upload, a busy note while the draft is checked, and the
// selection of words in the draft's text to add one's own finding. Everything works without it.
(function () {
  "use strict";

  function showFile(input, label) {
    var f = input.files && input.files[0];
    label.textContent = f ? "Выбран файл: " + f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " КБ)" : "";
  }

  var drop = document.getElementById("drop");
  var input = document.getElementById("draft");
  var label = document.getElementById("drop-file");
  if (drop && input && label) {
    input.addEventListener("change", function () { showFile(input, label); });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        showFile(input, label);
      }
    });
    var form = document.getElementById("upload-form");
    form.addEventListener("submit", function () {
      var busy = document.getElementById("busy");
      var button = document.getElementById("upload-button");
      if (busy) { busy.hidden = false; }
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  }

  // select words of a unit → prefill «Добавить свое замечание»
  var add = document.getElementById("add");
  if (add) {
    document.addEventListener("mouseup", function () {
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed) { return; }
      var node = sel.anchorNode && (sel.anchorNode.nodeType === 1 ? sel.anchorNode : sel.anchorNode.parentElement);
      var unit = node && node.closest ? node.closest("[data-unit]") : null;
      if (!unit) { return; }
      var text = sel.toString().replace(/\s+/g, " ").trim();
      if (!text) { return; }
      document.getElementById("add-unit").value = unit.getAttribute("data-unit");
      document.getElementById("add-quote").value = text.slice(0, 2000);
      add.open = true;
    });
  }
})();
