package org.glossa.embeddings.word2vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.Random;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class HuffmanTreeTest {

    @Test
    void codesOfAKnownTableDerivedByHand() {
        // Counts 8, 4, 2, 1, 1. Merges, cheapest first, a leaf only when strictly cheaper than the inner node:
        //   n0 = w4(1, bit 0) + w3(1, bit 1) = 2
        //   n1 = n0(2, bit 0) + w2(2, bit 1) = 4    (tie: the inner node goes first)
        //   n2 = n1(4, bit 0) + w1(4, bit 1) = 8
        //   n3 = n2(8, bit 0) + w0(8, bit 1) = 16   (the root)
        HuffmanTree tree = HuffmanTree.build(new long[] {8, 4, 2, 1, 1});
        assertEquals("1", tree.code(0));
        assertEquals("01", tree.code(1));
        assertEquals("001", tree.code(2));
        assertEquals("0001", tree.code(3));
        assertEquals("0000", tree.code(4));
        // Inner nodes met on the way down, root (n3) first.
        assertArrayEquals(new int[] {3}, points(tree, 0));
        assertArrayEquals(new int[] {3, 2, 1, 0}, points(tree, 3));
        assertArrayEquals(new int[] {3, 2, 1, 0}, points(tree, 4));
        assertArrayEquals(new int[] {3, 2, 1}, points(tree, 2));
    }

    @Test
    void twoWordsAndEqualCounts() {
        HuffmanTree two = HuffmanTree.build(new long[] {5, 3});
        assertEquals("1", two.code(0));
        assertEquals("0", two.code(1));
        // 8 equal counts make a complete tree: every code has 3 bits.
        HuffmanTree eight = HuffmanTree.build(new long[] {2, 2, 2, 2, 2, 2, 2, 2});
        for (int w = 0; w < 8; w++) {
            assertEquals(3, eight.codeLength(w));
        }
        assertThrows(GlossaException.class, () -> HuffmanTree.build(new long[] {4}));
    }

    @Test
    void randomTablesGiveOptimalPrefixFreeCodes() {
        Random random = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int size = 2 + random.nextInt(300);
            long[] counts = new long[size];
            for (int i = 0; i < size; i++) {
                counts[i] = 1 + (long) Math.floor(Math.pow(10, random.nextDouble() * 5));
            }
            Arrays.sort(counts);
            reverse(counts);
            HuffmanTree tree = HuffmanTree.build(counts);
            // Optimal: the weighted code length equals the cost of any Huffman tree, here computed
            // independently with a priority queue (the cost is unique even where codes are not).
            long weighted = 0;
            for (int w = 0; w < size; w++) {
                weighted += counts[w] * tree.codeLength(w);
            }
            assertEquals(huffmanCost(counts), weighted, "trial " + trial);
            // Prefix-free: no code starts another.
            String[] codes = new String[size];
            for (int w = 0; w < size; w++) {
                codes[w] = tree.code(w);
            }
            Arrays.sort(codes);
            for (int i = 1; i < size; i++) {
                assertFalse(codes[i].startsWith(codes[i - 1]), codes[i - 1] + " prefixes " + codes[i]);
            }
            // Inner nodes are numbered 0..V-2, the root last, and every path starts at the root.
            for (int w = 0; w < size; w++) {
                assertEquals(size - 2, points(tree, w)[0]);
            }
        }
    }

    private static long huffmanCost(long[] counts) {
        PriorityQueue<Long> queue = new PriorityQueue<>();
        for (long count : counts) {
            queue.add(count);
        }
        long cost = 0;
        while (queue.size() > 1) {
            long merged = queue.poll() + queue.poll();
            cost += merged;
            queue.add(merged);
        }
        return cost;
    }

    private static int[] points(HuffmanTree tree, int word) {
        return Arrays.copyOfRange(tree.points, tree.offsets[word], tree.offsets[word + 1]);
    }

    private static void reverse(long[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
