package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SquadTraining.Options}: runs saved before a negatives option existed resume with none of that kind. */
@Tag("unit")
class SquadTrainingOptionsTest {
    @TempDir
    Path run;

    @Test
    void aRunFromBeforeTheEditedQuestionNegativesResumesWithoutThem() throws Exception {
        // squad.json as the runs of the previous release wrote it: no negatives_edited_question key.
        Files.writeString(run.resolve(SquadTraining.OPTIONS_FILE), """
                {"options": {"model": "/m", "train_file": "/t.json", "train_v2_file": "", "dev_file": "",
                  "negatives": 0.5, "negatives_answer_removed": 0.5, "subset": 0, "max_length": 384, "stride": 128,
                  "max_question_length": 64, "batch_size": 32, "accumulation": 1, "epochs": 1.0, "max_steps": 0,
                  "learning_rate": 5e-05, "warmup_ratio": 0.1, "weight_decay": 0.01, "max_grad_norm": 1.0,
                  "precision": "bf16", "eval_every": 1000, "eval_examples": 2000, "save_every": 500, "log_every": 10,
                  "seed": 42, "freeze_word_embeddings": true}}
                """);
        SquadTraining.Options saved = SquadTraining.savedOptions(run);
        assertEquals(0.0, saved.negativesEditedQuestion());
        assertEquals(0.5, saved.negativesAnswerRemoved());
        // A new run's defaults: half edited questions, a quarter answer-removed (the rest another paragraph).
        SquadTraining.Options defaults = SquadTraining.Options.defaults(Path.of("/m"), Path.of("/t.json"), null, null);
        assertEquals(0.5, defaults.negativesEditedQuestion());
        assertEquals(0.25, defaults.negativesAnswerRemoved());
        // Which is why a resume starts from the saved options, not the defaults: these would refuse it.
        assertTrue(defaults.incompatibleWith(saved).contains("negatives_edited_question 0.0 in the run, 0.5 now"),
                defaults.incompatibleWith(saved).toString());
    }
}
