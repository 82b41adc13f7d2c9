package org.glossa.core.plot;

import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A chart that renders to PNG (Java2D, headless) or SVG. Subclasses lay themselves out on a
 * {@link Canvas}; this class holds the title and size and writes files atomically.
 */
public abstract class Chart<SELF extends Chart<SELF>> {
    /** Ten distinct colours (matplotlib's "tab10"), for series and points. */
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    static final Color TEXT = new Color(0x222222);
    static final Color AXIS = new Color(0x444444);
    static final Color GRID = new Color(0xe3e3e3);
    static final double TITLE_SIZE = 16;
    static final double LABEL_SIZE = 13;
    static final double TICK_SIZE = 11;

    String title = "";
    int width;
    int height;

    Chart(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @SuppressWarnings("unchecked")
    private SELF self() {
        return (SELF) this;
    }

    public SELF title(String title) {
        this.title = title == null ? "" : title;
        return self();
    }

    /** Size in pixels (SVG user units). */
    public SELF size(int width, int height) {
        if (width < 100 || height < 100) {
            throw new GlossaException("a chart needs at least 100 × 100 pixels, got " + width + " × " + height);
        }
        this.width = width;
        this.height = height;
        return self();
    }

    /** Draws the chart. */
    abstract void draw(Canvas canvas);

    /** Writes PNG or SVG as the file name says (.png, .svg); other names are an error. */
    public void write(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            writeSvg(file);
        } else if (name.endsWith(".png")) {
            writePng(file);
        } else {
            throw new GlossaException("cannot tell the image format of " + file + ": use a .png or .svg name");
        }
    }

    public void writePng(Path file) {
        Canvas.Image canvas = new Canvas.Image(width, height);
        draw(canvas);
        AtomicFiles.write(file, temporary -> {
            if (!ImageIO.write(canvas.image, "png", temporary.toFile())) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }

    public void writeSvg(Path file) {
        String svg = toSvg();
        AtomicFiles.write(file, temporary -> Files.writeString(temporary, svg, StandardCharsets.UTF_8));
    }

    /** The chart as an SVG document. */
    public String toSvg() {
        Canvas.Svg canvas = new Canvas.Svg(width, height);
        draw(canvas);
        return canvas.document();
    }

    /** The chart as an image (for callers that show or combine images). */
    public java.awt.image.BufferedImage toImage() {
        Canvas.Image canvas = new Canvas.Image(width, height);
        draw(canvas);
        return canvas.image;
    }

    /** Draws the title centred at the top; returns the y below it. */
    double drawTitle(Canvas canvas) {
        if (title.isEmpty()) {
            return 16;
        }
        canvas.text(title, canvas.width / 2.0, 30, TITLE_SIZE, TEXT, Canvas.Anchor.MIDDLE, true, 0);
        return 48;
    }

    static void checkFinite(double[] values, String what) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                throw new GlossaException(what + " holds NaN");
            }
        }
    }
}
