// Bar charts drawn with the vendored Apache ECharts: the monitoring boards
// and the grade distributions beside the assessment rankings. Loaded with
// `defer` after echarts.min.js. The data comes either from
// <script type="application/json" id="chart-data"> (the boards:
// {"charts": [{id, ...chart}]}) or from an element's own `data-chart`
// attribute (one chart each); neither is executed, so the strict CSP allows
// both. A chart is {categories, series: [{name, data, color}], stacked, max,
// integer, line: {name, value}}: `line` draws a horizontal mark line (a
// quota), `integer` keeps the axis on whole numbers. A chart with `radar`
// ([{name, max}], one axis each) is a radar instead: each series one closed
// line over the axes (the excellence scorecard). Each chart's element is
// hidden from assistive technology; a table beside it carries the same data.
(function () {
  'use strict';

  if (!window.echarts) {
    return;
  }

  function parse(text) {
    try {
      return JSON.parse(text || '{}');
    } catch (e) {
      return null;
    }
  }

  var charts = [];

  function radarOption(chart) {
    return {
      animation: false,
      color: chart.series.map(function (s) { return s.color; }),
      tooltip: { trigger: 'item', renderMode: 'richText' },
      legend: { show: chart.series.length > 1, top: 0 },
      radar: {
        indicator: chart.radar.map(function (a) { return { name: a.name, max: a.max }; }),
        radius: '62%',
        center: ['50%', '56%'],
        axisName: { color: '#333' }
      },
      series: [{
        type: 'radar',
        data: chart.series.map(function (s) {
          return { name: s.name, value: s.data.map(function (v) { return v == null ? 0 : v; }) };
        }),
        areaStyle: { opacity: 0.12 }
      }]
    };
  }

  function draw(element, chart) {
    if (!element || !chart || !chart.series) {
      return;
    }
    // An element hidden until a script draws in it: without scripts the table alone shows.
    element.hidden = false;
    // SVG keeps the CSP intact (no canvas-only paths) and prints sharply.
    var instance = window.echarts.init(element, null, { renderer: 'svg' });
    if (chart.radar) {
      instance.setOption(radarOption(chart));
      charts.push(instance);
      return;
    }
    var line = chart.line;
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
      yAxis: {
        type: 'value',
        // A quota above every bar still shows its line.
        max: chart.max != null ? chart.max : line ? function (v) { return Math.max(v.max, line.value, 1); } : undefined,
        minInterval: chart.stacked || chart.integer ? 1 : 0
      },
      series: chart.series.map(function (s, i) {
        var series = {
          name: s.name,
          type: 'bar',
          stack: chart.stacked ? 'total' : undefined,
          data: s.data,
          barMaxWidth: 48,
          label: { show: !chart.stacked, position: 'top' }
        };
        if (line && i === 0) {
          series.markLine = {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#b91c1c', type: 'dashed' },
            label: { position: 'insideEndTop', formatter: String(line.name).replace(/[{}]/g, '') },
            data: [{ yAxis: line.value }]
          };
        }
        return series;
      })
    });
    charts.push(instance);
  }

  var source = document.getElementById('chart-data');
  if (source) {
    var data = parse(source.textContent) || {};
    (data.charts || []).forEach(function (chart) {
      draw(document.getElementById(chart.id), chart);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-chart]'), function (element) {
    draw(element, parse(element.getAttribute('data-chart')));
  });

  window.addEventListener('resize', function () {
    charts.forEach(function (instance) { instance.resize(); });
  });
})();
