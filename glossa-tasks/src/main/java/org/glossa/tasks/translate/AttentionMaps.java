package org.glossa.tasks.translate;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.plot.Heatmap;

/**
 * Pictures of cross-attention ({@link TranslationModel.Attention}): target tokens as rows, source tokens as columns,
 * one {@link Heatmap} per layer and head on the colour scale 0–1, so that maps can be compared.
 *
 * <p>The RNN's single attention is one heatmap (PNG or SVG, as the file name says). The Transformer's is a grid
 * of heatmaps, one row per decoder layer and one column per head, written as one PNG; picking one layer gives a
 * one-row grid, picking a layer and a head gives a single heatmap (PNG or SVG).
 */
public final class AttentionMaps {
    private AttentionMaps() {}

    /**
     * Writes the picture of {@code attention} to {@code file}.
     *
     * @param layer the decoder layer to draw (1-based), or null for all
     * @param head the head to draw (1-based), or null for all
     * @return the tiles drawn, in grid order (one for a single heatmap)
     */
    public static List<Heatmap> write(TranslationModel.Attention attention, Path file, Integer layer, Integer head) {
        double[][][][] weights = attention.weights();
        int layers = weights.length;
        int heads = weights[0].length;
        checkIndex("layer", layer, layers);
        checkIndex("head", head, heads);
        int firstLayer = layer == null ? 0 : layer - 1;
        int lastLayer = layer == null ? layers - 1 : layer - 1;
        int firstHead = head == null ? 0 : head - 1;
        int lastHead = head == null ? heads - 1 : head - 1;
        List<Heatmap> tiles = new ArrayList<>();
        for (int l = firstLayer; l <= lastLayer; l++) {
            for (int h = firstHead; h <= lastHead; h++) {
                String title = layers == 1 && heads == 1 ? "Attention"
                        : String.format(Locale.ROOT, "Layer %d, head %d", l + 1, h + 1);
                tiles.add(Heatmap.of(weights[l][h], attention.targetTokens(), attention.sourceTokens()).range(0, 1)
                        .title(title).xLabel("source").yLabel("translation"));
            }
        }
        if (tiles.size() == 1) {
            tiles.get(0).write(file);
            return tiles;
        }
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new GlossaException("a grid of " + tiles.size() + " heatmaps is written as PNG: name the file .png (or pick"
                    + " one --layer and --head for SVG), got " + file);
        }
        writeGrid(tiles, lastHead - firstHead + 1, file);
        return tiles;
    }

    private static void checkIndex(String what, Integer index, int count) {
        if (index != null && (index < 1 || index > count)) {
            throw new GlossaException(what + " " + index + " does not exist: the model has " + count + " (numbered from 1)");
        }
    }

    /** Tiles of equal size side by side, {@code columns} per row, as one PNG. */
    private static void writeGrid(List<Heatmap> tiles, int columns, Path file) {
        List<BufferedImage> images = tiles.stream().map(Heatmap::toImage).toList();
        int tileWidth = images.get(0).getWidth();
        int tileHeight = images.get(0).getHeight();
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage grid = new BufferedImage(columns * tileWidth, rows * tileHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            for (int i = 0; i < images.size(); i++) {
                g.drawImage(images.get(i), (i % columns) * tileWidth, (i / columns) * tileHeight, null);
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.write(file, temporary -> {
            if (!ImageIO.write(grid, "png", temporary.toFile())) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }
}
