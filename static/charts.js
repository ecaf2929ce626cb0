// Charts of the monitoring boards, drawn with the vendored Apache ECharts.
// Loaded with `defer` after echarts.min.js, on the board pages only. The data
// comes from <script type="application/json" id="chart-data"> (never executed,
// so the strict CSP allows it): {"charts": [{id, categories, series:
// [{name, data, color}], stacked, max}]}. Each chart's element is hidden from
// assistive technology; the table right below it carries the same data.
(function () {
  'use strict';

  var source = document.getElementById('chart-data');
  if (!source || !window.echarts) {
    return;
  }
  var data;
  try {
    data = JSON.parse(source.textContent || '{}');
  } catch (e) {
    return;
  }

  var charts = [];
  (data.charts || []).forEach(function (chart) {
    var element = document.getElementById(chart.id);
    if (!element) {
      return;
    }
    // SVG keeps the CSP intact (no canvas-only paths) and prints sharply.
    var instance = window.echarts.init(element, null, { renderer: 'svg' });
    instance.setOption({
      animation: false,
      color: chart.series.map(function (s) { return s.color; }),
      // The default HTML tooltip writes style="" attributes through innerHTML,
      // which style-src 'self' blocks; the rich-text tooltip is drawn in the SVG.
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText' },
      legend: { show: chart.series.length > 1, top: 0 },
      grid: { left: 48, right: 16, top: chart.series.length > 1 ? 36 : 16, bottom: 56, containLabel: true },
      xAxis: {
        type: 'category',
        data: chart.categories,
        axisLabel: { interval: 0, rotate: chart.categories.length > 6 ? 30 : 0 }
      },
      yAxis: { type: 'value', max: chart.max == null ? undefined : chart.max, minInterval: chart.stacked ? 1 : 0 },
      series: chart.series.map(function (s) {
        return {
          name: s.name,
          type: 'bar',
          stack: chart.stacked ? 'total' : undefined,
          data: s.data,
          barMaxWidth: 48,
          label: { show: !chart.stacked, position: 'top' }
        };
      })
    });
    charts.push(instance);
  });

  window.addEventListener('resize', function () {
    charts.forEach(function (instance) { instance.resize(); });
  });
})();
