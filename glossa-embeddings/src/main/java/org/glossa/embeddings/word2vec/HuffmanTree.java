package org.glossa.embeddings.word2vec;

import org.glossa.core.GlossaException;

/**
 * The Huffman tree of hierarchical softmax: each word is a leaf, and predicting it means taking the
 * binary decisions on its path from the root, one logistic unit per inner node. Frequent words get short
 * paths. The construction follows word2vec.c's so that codes agree with the C tool's: leaves are taken in
 * ascending count order (the vocabulary is sorted descending), inner nodes are created in ascending
 * count order, the two cheapest nodes are merged at each step, a leaf is preferred only when strictly
 * cheaper than the next inner node, the first node taken gets bit 0 and the second bit 1.
 *
 * <p>Inner node {@code k} (0-based, in creation order) has output row {@code k}; the root is node
 * {@code V - 2}. For word {@code w}, {@code codes[offsets[w] .. offsets[w + 1])} are its bits from the root
 * down and {@code points[...]} the inner nodes they are decided at.
 */
final class HuffmanTree {
    final int[] offsets;   // (V + 1)
    final byte[] codes;    // concatenated paths
    final int[] points;    // inner node of each code bit

    private HuffmanTree(int[] offsets, byte[] codes, int[] points) {
        this.offsets = offsets;
        this.codes = codes;
        this.points = points;
    }

    /** @param counts word counts in descending order (a {@code Vocabulary}'s order), at least two words */
    static HuffmanTree build(long[] counts) {
        int v = counts.length;
        if (v < 2) {
            throw new GlossaException("hierarchical softmax needs at least 2 words in the vocabulary, got " + v);
        }
        for (int i = 1; i < v; i++) {
            if (counts[i] > counts[i - 1]) {
                throw new IllegalArgumentException("counts must be in descending order");
            }
        }
        // Nodes 0..v-1 are the leaves, v..2v-2 the inner nodes in creation order.
        long[] weight = new long[2 * v - 1];
        int[] parent = new int[2 * v - 1];
        byte[] bit = new byte[2 * v - 1];
        System.arraycopy(counts, 0, weight, 0, v);
        int nextLeaf = v - 1;   // cheapest leaf not yet merged
        int nextInner = v;      // cheapest inner node not yet merged
        for (int created = v; created < 2 * v - 1; created++) {
            int first = -1;
            for (int pick = 0; pick < 2; pick++) {
                int node;
                if (nextLeaf >= 0 && (nextInner >= created || weight[nextLeaf] < weight[nextInner])) {
                    node = nextLeaf--;
                } else {
                    node = nextInner++;
                }
                parent[node] = created;
                if (pick == 0) {
                    first = node;
                } else {
                    bit[node] = 1;
                    weight[created] = weight[first] + weight[node];
                }
            }
        }
        int root = 2 * v - 2;
        int[] depth = new int[2 * v - 1];
        int[] offsets = new int[v + 1];
        for (int node = root - 1; node >= 0; node--) {
            depth[node] = depth[parent[node]] + 1; // parents are created after their children
        }
        for (int w = 0; w < v; w++) {
            offsets[w + 1] = offsets[w] + depth[w];
        }
        byte[] codes = new byte[offsets[v]];
        int[] points = new int[offsets[v]];
        for (int w = 0; w < v; w++) {
            // Walk up from the leaf, filling the path from its end.
            int position = offsets[w + 1];
            for (int node = w; node != root; node = parent[node]) {
                position--;
                codes[position] = bit[node];
                points[position] = parent[node] - v;
            }
        }
        return new HuffmanTree(offsets, codes, points);
    }

    int codeLength(int word) {
        return offsets[word + 1] - offsets[word];
    }

    /** The code of {@code word} as a string of 0s and 1s, root first (for tests and debugging). */
    String code(int word) {
        StringBuilder text = new StringBuilder();
        for (int i = offsets[word]; i < offsets[word + 1]; i++) {
            text.append(codes[i]);
        }
        return text.toString();
    }
}
