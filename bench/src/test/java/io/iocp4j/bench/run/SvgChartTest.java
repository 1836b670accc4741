package io.iocp4j.bench.run;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartTest {
    @Test
    void barsAreProportionalAndTheTextIsEscaped() throws Exception {
        String svg = SvgChart.render("a <chart> & more", "base = 1", 1.0, List.of("x", "y"), List.of(
                new SvgChart.Group("first", List.of(new SvgChart.Bar("x", 1.0, "1.00 x"),
                        new SvgChart.Bar("y", 2.0, "2.00 x \"fast\""))),
                new SvgChart.Group("second", List.of(new SvgChart.Bar("y", 0.5, "0.50 x")))));
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", document.getDocumentElement().getTagName());
        List<Double> widths = new ArrayList<>();
        NodeList rects = document.getElementsByTagName("rect");
        for (int i = 1; i < rects.getLength(); i++) { // the first is the background
            widths.add(Double.parseDouble(((Element) rects.item(i)).getAttribute("width")));
        }
        assertEquals(3, widths.size());
        assertEquals(SvgChart.PLOT_WIDTH, widths.get(1), 0.1, "the longest bar fills the plot");
        assertEquals(widths.get(0) * 2, widths.get(1), 0.2);
        assertEquals(widths.get(0) / 2, widths.get(2), 0.2);
        assertTrue(document.getDocumentElement().getTextContent().contains("a <chart> & more"));
        assertTrue(document.getDocumentElement().getTextContent().contains("2.00 x \"fast\""));
        // y keeps its colour in both groups.
        assertEquals(((Element) rects.item(2)).getAttribute("fill"), ((Element) rects.item(3)).getAttribute("fill"));
    }

    @Test
    void refusesABarWithoutALength() {
        assertThrows(IllegalArgumentException.class, () -> SvgChart.render("t", "r", 1, List.of(), List.of(
                new SvgChart.Group("g", List.of(new SvgChart.Bar("x", Double.NaN, ""))))));
    }
}
