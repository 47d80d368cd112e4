package io.routemq.bench.e2e;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The PNG plots (XChart): throughput per scenario and QoS, latency percentiles per scenario and QoS. */
final class Charts {
    private Charts() {
    }

    static void write(Path dir, List<ScenarioResult> results) throws IOException {
        List<ScenarioResult> ok = results.stream().filter(r -> r.error() == null).toList();
        List<ScenarioResult> main = ok.stream().filter(r -> !r.load().equals("half")).toList();
        List<ScenarioResult> half = ok.stream().filter(r -> r.load().equals("half")).toList();
        if (!main.isEmpty()) {
            throughput(dir.resolve("throughput"), main);
            latency(dir.resolve("latency"), main, "Publish-to-handler latency (max load)");
        }
        if (!half.isEmpty()) latency(dir.resolve("latency-half-load"), half, "Publish-to-handler latency at half of max load");
    }

    private static void throughput(Path file, List<ScenarioResult> rows) throws IOException {
        Set<String> scenarios = new LinkedHashSet<>();
        Set<Integer> qos = new TreeSet<>();
        for (ScenarioResult r : rows) {
            scenarios.add(r.scenario());
            qos.add(r.qos());
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560).title("Throughput per scenario (msgs/s received)")
                .xAxisTitle("scenario").yAxisTitle("messages / s").build();
        style(chart);
        List<String> x = new ArrayList<>(scenarios);
        for (int q : qos) {
            List<Number> y = new ArrayList<>();
            for (String s : x) {
                double v = 0;
                for (ScenarioResult r : rows) if (r.scenario().equals(s) && r.qos() == q) v = r.msgsPerSec();
                y.add(v);
            }
            chart.addSeries("QoS " + q, x, y);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void latency(Path file, List<ScenarioResult> rows, String title) throws IOException {
        List<String> x = new ArrayList<>();
        List<Number> p50 = new ArrayList<>();
        List<Number> p99 = new ArrayList<>();
        List<Number> p999 = new ArrayList<>();
        for (ScenarioResult r : rows) {
            x.add(r.scenario() + " q" + r.qos());
            p50.add(Math.max(0.001, r.p50Ms()));
            p99.add(Math.max(0.001, r.p99Ms()));
            p999.add(Math.max(0.001, r.p999Ms()));
        }
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(560).title(title)
                .xAxisTitle("scenario, QoS").yAxisTitle("milliseconds (log scale)").build();
        style(chart);
        chart.getStyler().setYAxisLogarithmic(true);
        // bars start at zero, which a logarithmic axis cannot show: markers instead
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(12);
        chart.addSeries("p50", x, p50);
        chart.addSeries("p99", x, p99);
        chart.addSeries("p99.9", x, p999);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setChartTitleVisible(true);
        chart.getStyler().setXAxisLabelRotation(20);
    }
}
