// Draw every chart on the page: specs sit in <script type="application/json" data-chart="id">.
document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (node) {
  var target = document.getElementById(node.getAttribute("data-chart"));
  if (target && window.vegaEmbed) {
    window.vegaEmbed(target, JSON.parse(node.textContent), { actions: false });
  }
});
