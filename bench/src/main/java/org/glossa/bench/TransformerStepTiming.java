package org.glossa.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glossa.core.HfConfig;
import org.glossa.models.transformer.TransformerConfig;
import org.glossa.nn.Engine;
import org.glossa.nn.train.LengthGroupedBatches;
import org.glossa.nn.train.TrainConfig;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainData;
import org.glossa.nn.train.Trainer;
import org.glossa.tasks.translate.DataSplit;
import org.glossa.tasks.translate.SentencePair;
import org.glossa.tasks.translate.SubwordVocabularies;
import org.glossa.tasks.translate.TranslationModel;
import org.glossa.tasks.translate.TranslationModel.Architecture;
import org.glossa.tasks.translate.TranslationModel.EncodedPair;
import org.glossa.tasks.translate.TranslationTraining;
import org.glossa.text.HfTokenizer;

/**
 * Training-step time of the small Transformer as {@code glossa translate train} runs it by default on Multi30k:
 * the shared BPE vocabulary of 8,000 trained on the training pairs, the first {@code steps} length-grouped batches
 * of 128 sentences of epoch 0, label smoothing 0.1, Adam (β₂ 0.98, ε 1e-9) with the noam schedule, clipping at 1,
 * dropout 0.1, through the {@link Trainer} itself.
 *
 * <pre>bench/transformer-vs-pytorch.sh [steps=20] [threads=2]   (this class: TransformerStepTiming WORK_DIR [steps] [threads])</pre>
 *
 * For fp32 and then bf16 the trainer runs the batches twice in a row: the first pass warms up (libtorch and oneDNN
 * prepare their kernels for each new shape), the second is timed (the optimizer-step time the trainer logs, which
 * leaves out checkpoints). {@code WORK_DIR/batches.json} receives the model's shape and the batches as token ids
 * without padding, for the PyTorch side ({@code bench/python/torch_transformer.py}), which pads them its own way.
 */
public final class TransformerStepTiming {
    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        if (args.length > 2) {
            System.setProperty("glossa.threads", args[2]);
        }
        Engine.init();
        TranslationTraining.Options options = TranslationTraining.Options.defaults(Architecture.TRANSFORMER);
        DataSplit split = TranslationTraining.readData(options);
        SubwordVocabularies vocabularies = TranslationTraining.trainVocabularies(split.train(), options,
                line -> System.out.println("# " + line));
        Path vocabularyDir = work.resolve("vocabulary");
        vocabularies.write(vocabularyDir);
        HfTokenizer source = TranslationModel.loadTokenizer(vocabularyDir, TranslationModel.SOURCE_DIRECTORY);
        HfTokenizer target = TranslationModel.loadTokenizer(vocabularyDir, TranslationModel.TARGET_DIRECTORY);
        TranslationModel model = TranslationTraining.buildModel(options, source, target, vocabularyDir.toString());

        // The batches of a real run: every pair that fits, grouped by length with the run's seed.
        List<EncodedPair> pairs = new ArrayList<>();
        for (SentencePair pair : split.train()) {
            EncodedPair encoded = model.encode(pair);
            if (model.fits(encoded, options.maxLength())) {
                pairs.add(encoded);
            }
        }
        LengthGroupedBatches<EncodedPair, List<EncodedPair>> grouped = new LengthGroupedBatches<>(pairs, EncodedPair::length,
                options.batchSize(), LengthGroupedBatches.DEFAULT_MEGA_BATCH_FACTOR, picked -> picked, List::size,
                options.seed());
        List<List<EncodedPair>> batches = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            batches.add(grouped.batch(0, i));
        }
        TransformerConfig config = (TransformerConfig) model.config();
        writeBatches(work.resolve("batches.json"), config, target, options, batches);
        long sentences = batches.stream().mapToLong(List::size).sum();
        long tokens = batches.stream().flatMap(List::stream).mapToLong(p -> p.source().length + p.target().length + 1L).sum();
        System.out.println("# " + Engine.describe().replace("\n", "\n# "));
        System.out.printf(Locale.ROOT, "# Multi30k train, first %d length-grouped batches of epoch 0: %d sentence pairs, %d"
                + " tokens (source + target, no padding); %s; %d threads%n", steps, sentences, tokens, model.describe(),
                Engine.threads());
        for (Precision precision : Precision.values()) {
            double[] timed = run(options, source, target, batches, precision);
            System.out.printf(Locale.ROOT, "glossa %s: %.1f tokens/s, %.3f s/step%n", precision.name().toLowerCase(Locale.ROOT),
                    timed[0], timed[1]);
        }
    }

    /** Two passes over the batches through the Trainer; tokens/s and seconds per step of the second. */
    static double[] run(TranslationTraining.Options options, HfTokenizer source, HfTokenizer target,
                        List<List<EncodedPair>> batches, Precision precision) throws IOException {
        TranslationModel model = TranslationTraining.buildModel(options, source, target, "bench");
        Path runDir = Files.createTempDirectory("glossa-bench-transformer");
        int n = batches.size();
        TrainData<List<EncodedPair>> data = TwoPasses.fixedBatches(batches,
                batch -> batch.stream().mapToLong(p -> p.source().length + p.target().length + 1L).sum());
        TrainConfig config = TwoPasses.config(runDir, n, precision).maxGradNorm(options.maxGradNorm()).seed(options.seed()).build();
        double smoothing = options.labelSmoothing();
        new Trainer<>(model.module(), batch -> model.loss(model.collate(batch), smoothing), data,
                TranslationTraining.optimizer(options, model), TranslationTraining.schedule(options, model, 2L * n), config)
                .train();
        var timed = TwoPasses.timedPass(runDir, precision, "tokens/s");
        return new double[] {timed.get("tokens_per_s").asDouble(), 1.0 / timed.get("steps_per_s").asDouble()};
    }

    /** The model's shape, the schedule's settings and the batches (source ids with [EOS]; target ids without specials). */
    static void writeBatches(Path file, TransformerConfig config, HfTokenizer target, TranslationTraining.Options options,
                             List<List<EncodedPair>> batches) {
        ObjectNode root = HfConfig.mapper().createObjectNode();
        ObjectNode model = root.putObject("model");
        model.put("vocab_size", config.vocabSize());
        model.put("decoder_vocab_size", config.decoderVocabSize());
        model.put("d_model", config.dModel());
        model.put("layers", config.encoderLayers());
        model.put("heads", config.encoderAttentionHeads());
        model.put("ffn_dim", config.encoderFfnDim());
        model.put("dropout", config.dropout());
        model.put("max_positions", config.maxPositionEmbeddings());
        model.put("pad_id", config.padTokenId());
        model.put("bos_id", target.tokenId("[BOS]"));
        model.put("eos_id", config.eosTokenId());
        ObjectNode training = root.putObject("training");
        training.put("label_smoothing", options.labelSmoothing());
        training.put("peak_lr", options.learningRate());
        training.put("warmup_steps", options.warmupSteps());
        training.put("adam_beta2", options.adamBeta2());
        training.put("adam_epsilon", options.adamEpsilon());
        training.put("max_grad_norm", options.maxGradNorm());
        ArrayNode out = root.putArray("batches");
        for (List<EncodedPair> batch : batches) {
            ObjectNode node = out.addObject();
            ArrayNode sources = node.putArray("source");
            ArrayNode targets = node.putArray("target");
            for (EncodedPair pair : batch) {
                ArrayNode row = sources.addArray();
                for (long id : pair.source()) {
                    row.add(id);
                }
                row = targets.addArray();
                for (long id : pair.target()) {
                    row.add(id);
                }
            }
        }
        HfConfig.write(file, root);
    }
}
