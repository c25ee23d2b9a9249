/* 打印 / 存为 PDF: buttons marked data-print open the browser's print dialog (A4, from the print
   stylesheet in portal.css). A static file: no inline script. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
})();
