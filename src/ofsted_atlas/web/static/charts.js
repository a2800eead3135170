// Draw every chart on the page: specs sit in <script type="application/json" data-chart="id">.
// Charts fill their container's width; a spec with usermeta.aspect (height / width) also takes
// its height from that width, so a map keeps its shape on a phone.
document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (node) {
  var target = document.getElementById(node.getAttribute("data-chart"));
  if (target && window.vegaEmbed) {
    var spec = JSON.parse(node.textContent);
    if (spec.usermeta && spec.usermeta.aspect && target.clientWidth) {
      spec.height = Math.round(Math.min(target.clientWidth, 640) * spec.usermeta.aspect);
    }
    window.vegaEmbed(target, spec, { actions: false });
  }
});
