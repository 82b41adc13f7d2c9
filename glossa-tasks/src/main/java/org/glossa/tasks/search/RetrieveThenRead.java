package org.glossa.tasks.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.glossa.core.GlossaException;
import org.glossa.tasks.squad.QaPostprocess;
import org.glossa.tasks.squad.SquadPredictor;

/**
 * Question answering over a collection of passages: the retriever ({@link SemanticSearch}, cosine of
 * sentence embeddings) picks the passages closest to the question, the reader ({@link SquadPredictor})
 * answers from each, and the answers are ranked by the reader's span score (start + end logit), as
 * open-domain readers in the DrQA line do: the logits of one model are comparable across passages,
 * while its softmax probabilities are normalised within a passage and are not.
 */
public final class RetrieveThenRead {
    private RetrieveThenRead() {}

    /** The reader's answer from one retrieved passage. */
    public record Candidate(SquadPredictor.Answer answer, SemanticSearch.Hit passage, int retrievalRank) {}

    /**
     * The reader's answers from the {@code passages} passages closest to {@code question}: those with an answer
     * first, by falling span score, then the passages that answered "no answer", by retrieval rank.
     */
    public static List<Candidate> answer(SemanticSearch search, SquadPredictor reader, String question, int passages,
                                         QaPostprocess.Options options) {
        if (passages < 1) {
            throw new GlossaException("the number of passages to read must be at least 1, got " + passages);
        }
        List<SemanticSearch.Hit> hits = search.search(question, passages);
        List<Candidate> candidates = new ArrayList<>(hits.size());
        for (int rank = 0; rank < hits.size(); rank++) {
            SemanticSearch.Hit hit = hits.get(rank);
            candidates.add(new Candidate(reader.answer(question, hit.text(), options), hit, rank + 1));
        }
        candidates.sort(Comparator.comparing((Candidate c) -> !c.answer().hasAnswer())
                .thenComparing(c -> c.answer().hasAnswer() ? -c.answer().score() : c.retrievalRank()));
        return candidates;
    }
}
