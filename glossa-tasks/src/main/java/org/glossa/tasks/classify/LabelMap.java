package org.glossa.tasks.classify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glossa.core.GlossaException;

/**
 * Label names ↔ ids 0 … n−1, the order of the classifier's outputs. It is saved with the model as HF's
 * {@code id2label}/{@code label2id} in config.json, so a model directory says what its outputs mean.
 */
public final class LabelMap {
    private final List<String> names;
    private final Map<String, Integer> ids = new HashMap<>();

    public LabelMap(List<String> names) {
        if (names.isEmpty()) {
            throw new GlossaException("no labels");
        }
        this.names = List.copyOf(names);
        for (int i = 0; i < this.names.size(); i++) {
            if (ids.put(this.names.get(i), i) != null) {
                throw new GlossaException("label '" + this.names.get(i) + "' is listed twice");
            }
        }
    }

    /**
     * The labels of the training examples, sorted (numerically when every label is an integer, so "2" comes
     * before "10"), as HF's run_glue sorts them: a run's label ids do not depend on the order of the data.
     */
    public static LabelMap fromExamples(List<Example> examples, String source) {
        Set<String> seen = new LinkedHashSet<>();
        examples.forEach(example -> seen.addAll(example.labels()));
        if (seen.isEmpty()) {
            throw new GlossaException(source + ": the examples carry no labels");
        }
        List<String> sorted = new ArrayList<>(seen);
        boolean numeric = sorted.stream().allMatch(label -> label.matches("-?\\d{1,18}"));
        sorted.sort(numeric ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder());
        return new LabelMap(sorted);
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    public String name(int id) {
        return names.get(id);
    }

    /** The id of a label of {@code example}; an unknown label is named with the example's file and line. */
    public int id(String label, Example example) {
        Integer id = ids.get(label);
        if (id == null) {
            throw new GlossaException(example.where() + ": label '" + label + "' does not occur in the training data"
                    + " (labels: " + String.join(", ", names) + ")");
        }
        return id;
    }

    /** The ids of an example's labels, in its order. */
    public int[] ids(Example example) {
        return example.labels().stream().mapToInt(label -> id(label, example)).toArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabelMap map && map.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return String.join(", ", names);
    }
}
