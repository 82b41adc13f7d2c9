package org.glossa.core.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * What a chart draws on: lines, rectangles, circles and text in pixel coordinates (y down). Two
 * surfaces: a Java2D image (PNG) and an SVG document. Both measure text with the same font metrics,
 * so that layouts agree.
 */
abstract class Canvas {
    enum Anchor { START, MIDDLE, END }

    /** The font family charts use; Java's logical SansSerif (DejaVu Sans on most Linux systems). */
    static final String FONT_FAMILY = "SansSerif";
    private static final FontRenderContext METRICS = new FontRenderContext(new AffineTransform(), true, true);

    final int width;
    final int height;

    Canvas(int width, int height) {
        this.width = width;
        this.height = height;
    }

    abstract void line(double x1, double y1, double x2, double y2, Color color, double strokeWidth, boolean dashed);

    abstract void polyline(double[] xs, double[] ys, int count, Color color, double strokeWidth);

    /** A rectangle filled with {@code fill} (may be null) and outlined with {@code stroke} (may be null). */
    abstract void rect(double x, double y, double w, double h, Color fill, Color stroke);

    abstract void circle(double cx, double cy, double r, Color fill, Color stroke);

    /** Text whose baseline starts, centres or ends at (x, y), turned by {@code degrees} (counter-clockwise) about it. */
    abstract void text(String text, double x, double y, double size, Color color, Anchor anchor, boolean bold,
                       double degrees);

    /** The advance width of {@code text} at {@code size} points. */
    static double textWidth(String text, double size, boolean bold) {
        Font font = new Font(FONT_FAMILY, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size);
        Rectangle2D bounds = font.getStringBounds(text, METRICS);
        return bounds.getWidth();
    }

    /** A Java2D surface over an RGB image with a white background. */
    static final class Image extends Canvas {
        final BufferedImage image;
        private final Graphics2D g;

        Image(int width, int height) {
            super(width, height);
            image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
        }

        @Override
        void line(double x1, double y1, double x2, double y2, Color color, double strokeWidth, boolean dashed) {
            g.setColor(color);
            g.setStroke(stroke(strokeWidth, dashed));
            g.draw(new Line2D.Double(x1, y1, x2, y2));
        }

        @Override
        void polyline(double[] xs, double[] ys, int count, Color color, double strokeWidth) {
            if (count == 0) {
                return;
            }
            Path2D.Double path = new Path2D.Double();
            path.moveTo(xs[0], ys[0]);
            for (int i = 1; i < count; i++) {
                path.lineTo(xs[i], ys[i]);
            }
            g.setColor(color);
            g.setStroke(new BasicStroke((float) strokeWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
        }

        @Override
        void rect(double x, double y, double w, double h, Color fill, Color stroke) {
            Rectangle2D.Double r = new Rectangle2D.Double(x, y, w, h);
            if (fill != null) {
                g.setColor(fill);
                g.fill(r);
            }
            if (stroke != null) {
                g.setColor(stroke);
                g.setStroke(new BasicStroke(1f));
                g.draw(r);
            }
        }

        @Override
        void circle(double cx, double cy, double r, Color fill, Color stroke) {
            Ellipse2D.Double e = new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            if (fill != null) {
                g.setColor(fill);
                g.fill(e);
            }
            if (stroke != null) {
                g.setColor(stroke);
                g.setStroke(new BasicStroke(1f));
                g.draw(e);
            }
        }

        @Override
        void text(String text, double x, double y, double size, Color color, Anchor anchor, boolean bold,
                  double degrees) {
            Font font = new Font(FONT_FAMILY, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size);
            double w = textWidth(text, size, bold);
            double dx = switch (anchor) {
                case START -> 0;
                case MIDDLE -> -w / 2;
                case END -> -w;
            };
            AffineTransform saved = g.getTransform();
            g.translate(x, y);
            if (degrees != 0) {
                g.rotate(-Math.toRadians(degrees));
            }
            g.setFont(font);
            g.setColor(color);
            g.drawString(text, (float) dx, 0f);
            g.setTransform(saved);
        }

        private static BasicStroke stroke(double width, boolean dashed) {
            return dashed
                    ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {4f, 3f}, 0f)
                    : new BasicStroke((float) width);
        }
    }

    /** An SVG document built as text. */
    static final class Svg extends Canvas {
        private final StringBuilder body = new StringBuilder();

        Svg(int width, int height) {
            super(width, height);
        }

        @Override
        void line(double x1, double y1, double x2, double y2, Color color, double strokeWidth, boolean dashed) {
            body.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                    .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(hex(color)).append('"')
                    .append(opacity("stroke-opacity", color)).append(" stroke-width=\"").append(n(strokeWidth)).append('"')
                    .append(dashed ? " stroke-dasharray=\"4 3\"" : "").append("/>\n");
        }

        @Override
        void polyline(double[] xs, double[] ys, int count, Color color, double strokeWidth) {
            body.append("<polyline fill=\"none\" stroke=\"").append(hex(color)).append('"')
                    .append(opacity("stroke-opacity", color)).append(" stroke-width=\"").append(n(strokeWidth))
                    .append("\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"");
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    body.append(' ');
                }
                body.append(n(xs[i])).append(',').append(n(ys[i]));
            }
            body.append("\"/>\n");
        }

        @Override
        void rect(double x, double y, double w, double h, Color fill, Color stroke) {
            body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                    .append("\" height=\"").append(n(h)).append('"').append(paint(fill, stroke)).append("/>\n");
        }

        @Override
        void circle(double cx, double cy, double r, Color fill, Color stroke) {
            body.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                    .append('"').append(paint(fill, stroke)).append("/>\n");
        }

        @Override
        void text(String text, double x, double y, double size, Color color, Anchor anchor, boolean bold,
                  double degrees) {
            body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(size))
                    .append("\" fill=\"").append(hex(color)).append('"');
            if (anchor != Anchor.START) {
                body.append(" text-anchor=\"").append(anchor == Anchor.MIDDLE ? "middle" : "end").append('"');
            }
            if (bold) {
                body.append(" font-weight=\"bold\"");
            }
            if (degrees != 0) {
                body.append(" transform=\"rotate(").append(n(-degrees)).append(' ').append(n(x)).append(' ')
                        .append(n(y)).append(")\"");
            }
            body.append('>').append(escape(text)).append("</text>\n");
        }

        String document() {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                    + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\">\n"
                    + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + body + "</svg>\n";
        }

        private static String paint(Color fill, Color stroke) {
            StringBuilder s = new StringBuilder();
            s.append(" fill=\"").append(fill == null ? "none" : hex(fill)).append('"');
            if (fill != null) {
                s.append(opacity("fill-opacity", fill));
            }
            if (stroke != null) {
                s.append(" stroke=\"").append(hex(stroke)).append('"').append(opacity("stroke-opacity", stroke));
            }
            return s.toString();
        }

        private static String opacity(String attribute, Color color) {
            return color.getAlpha() == 255 ? ""
                    : " " + attribute + "=\"" + n(color.getAlpha() / 255.0) + "\"";
        }

        static String hex(Color color) {
            return String.format(Locale.ROOT, "#%02x%02x%02x", color.getRed(), color.getGreen(), color.getBlue());
        }

        /** Two decimals at most, no trailing zeros. */
        static String n(double value) {
            String s = String.format(Locale.ROOT, "%.2f", value);
            if (s.indexOf('.') >= 0) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            return s.equals("-0") ? "0" : s;
        }

        static String escape(String text) {
            StringBuilder s = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '<' -> s.append("&lt;");
                    case '>' -> s.append("&gt;");
                    case '&' -> s.append("&amp;");
                    case '"' -> s.append("&quot;");
                    default -> {
                        if (c < 0x20 && c != '\t') {
                            s.append(' '); // control characters are not allowed in XML 1.0
                        } else {
                            s.append(c);
                        }
                    }
                }
            }
            return s.toString();
        }
    }
}
