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

/**
 * The PNG plots (XChart), every round shown, none picked: throughput and consumer CPU per message per scenario and
 * QoS with one series per round, latency percentiles per scenario, QoS and round.
 */
final class Charts {
    private Charts() {
    }

    static void write(Path dir, List<ScenarioResult> results) throws IOException {
        List<ScenarioResult> ok = results.stream().filter(r -> r.error() == null).toList();
        List<ScenarioResult> main = ok.stream().filter(ScenarioResult::full).toList();
        List<ScenarioResult> half = ok.stream().filter(r -> r.load().equals("half")).toList();
        if (!main.isEmpty()) {
            perRound(dir.resolve("throughput"), main, "Throughput per scenario, every round (msgs/s received)", "messages / s",
                    ScenarioResult::msgsPerSec);
            perRound(dir.resolve("cpu"), main, "Consumer process CPU per message, every round", "CPU µs / message",
                    r -> Math.max(0, r.cpuUsPerMsg()));
            latency(dir.resolve("latency"), main, "Publish-to-receipt latency (max load), every round");
        }
        if (!half.isEmpty()) latency(dir.resolve("latency-half-load"), half, "Publish-to-receipt latency at half of max load, every round");
    }

    private static void perRound(Path file, List<ScenarioResult> rows, String title, String yTitle,
                                 java.util.function.ToDoubleFunction<ScenarioResult> value) throws IOException {
        Set<String> x = new LinkedHashSet<>();
        Set<Integer> rounds = new TreeSet<>();
        for (ScenarioResult r : rows) {
            x.add(r.scenario() + " q" + r.qos());
            rounds.add(r.round());
        }
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(560).title(title)
                .xAxisTitle("scenario, QoS").yAxisTitle(yTitle).build();
        style(chart);
        List<String> xs = new ArrayList<>(x);
        for (int round : rounds) {
            List<Number> y = new ArrayList<>();
            for (String s : xs) {
                double v = 0;
                for (ScenarioResult r : rows) if ((r.scenario() + " q" + r.qos()).equals(s) && r.round() == round) v = value.applyAsDouble(r);
                y.add(v);
            }
            chart.addSeries("round " + round, xs, y);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void latency(Path file, List<ScenarioResult> rows, String title) throws IOException {
        List<String> x = new ArrayList<>();
        List<Number> p50 = new ArrayList<>();
        List<Number> p99 = new ArrayList<>();
        List<Number> p999 = new ArrayList<>();
        for (ScenarioResult r : rows) {
            if (r.p50Ms() < 0) continue; // no latency measured (the discard sink)
            x.add(r.scenario() + " q" + r.qos() + " r" + r.round());
            p50.add(Math.max(0.001, r.p50Ms()));
            p99.add(Math.max(0.001, r.p99Ms()));
            p999.add(Math.max(0.001, r.p999Ms()));
        }
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(560).title(title)
                .xAxisTitle("scenario, QoS, round").yAxisTitle("milliseconds (log scale)").build();
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
