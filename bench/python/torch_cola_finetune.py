"""A PyTorch reference fine-tune of all-MiniLM-L6-v2 on CoLA (bench/cola-reference.sh; a benchmark helper, not part
of Glossa). It answers one question: with the same weights, data and recipe, does an independent implementation
reach a better CoLA dev MCC than `glossa classify train`?

The model is bench/python/torch_classify.py's classifier on torch_bert's BERT from torch.nn modules (imported, not
copied), with either HF's [CLS] pooler or mean pooling over the real tokens. The encoder's weights are read from the imported model.safetensors (parsed here: an 8-byte
little-endian header size, a JSON header, raw little-endian data) under HF's names. The new head (classifier, and
the pooler for [CLS] pooling: this checkpoint has none) is drawn from N(0, 0.02) with zero biases, as HF does.

Before training, the loading is checked: the mean-pooled fp32 sentence vectors of a few dev sentences, run as one
padded batch, must match ONNX Runtime on the original ONNX file and Glossa's SentenceEmbedder (both recorded by
ColaReferenceData) to 1e-4 (typically ~1e-6), or the script stops.

Recipe (glossa classify train --pooling mean --lr 5e-5, in fp32): dropout 0.1 before the classifier; AdamW lr 5e-5,
betas (0.9, 0.999), eps 1e-8, weight decay 0.01 except biases and LayerNorm; linear warmup over ceil(10 %) of the
steps, then linear decay to 0; batch 32; 4 epochs; clipping at 1.0. Batches are random (the tutorial's
RandomSampler), each padded to its longest sentence; --batches grouped uses length-grouped batches as Glossa's
LengthGroupedBatches does (shuffle, mega-batches of 50 batches sorted by length, batches shuffled). After every
epoch the dev set is scored with sklearn's matthews_corrcoef and accuracy_score.

Usage: python3 torch_cola_finetune.py DATA_JSON [--pooling mean|cls] [--lr 5e-5] [--epochs 4] [--batch-size 32]
           [--seeds 42,43,44] [--threads 1] [--batches random|grouped] [--out RESULTS_JSONL]
DATA_JSON comes from ColaReferenceData (token ids and labels tokenised by Glossa, the model directory, the check
vectors). One JSON line per epoch goes to stdout (and to --out); progress goes to stderr.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import torch
from torch import nn
from sklearn.metrics import accuracy_score, matthews_corrcoef

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_bert import adamw, padded  # noqa: E402
from torch_classify import Classifier  # noqa: E402  (the shared BERT from torch.nn modules)

CHECK_TOLERANCE = 1e-4
SAFETENSORS_DTYPES = {"F32": (torch.float32, 4)}


def read_safetensors(path):
    """Every tensor of a safetensors file by name (F32 only, which is what Glossa's import writes)."""
    blob = bytearray(os.path.getsize(path))  # writable, so that torch.frombuffer does not warn
    with open(path, "rb") as f:
        f.readinto(blob)
    if len(blob) < 8:
        sys.exit(f"{path}: {len(blob)} bytes, too short for a safetensors header size")
    (header_size,) = struct.unpack("<Q", blob[:8])
    if 8 + header_size > len(blob):
        sys.exit(f"{path}: header size {header_size} runs past the end of the file ({len(blob)} bytes)")
    header = json.loads(blob[8:8 + header_size].decode("utf-8"))
    data = memoryview(blob)[8 + header_size:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] not in SAFETENSORS_DTYPES:
            sys.exit(f"{path}: tensor {name} has dtype {entry['dtype']}; only F32 is read here")
        dtype, width = SAFETENSORS_DTYPES[entry["dtype"]]
        start, end = entry["data_offsets"]
        count = math.prod(entry["shape"])
        if end - start != count * width or end > len(data):
            sys.exit(f"{path}: tensor {name} offsets {start}..{end} do not hold shape {entry['shape']} in {len(data)} bytes")
        # A copy: the tensor must not keep the whole file's buffer alive or share memory with it.
        tensors[name] = torch.frombuffer(data[start:end], dtype=dtype).clone().reshape(entry["shape"])
    return tensors


class MiniLmClassifier(Classifier):
    """torch_classify's BERT as HF's BertForSequenceClassification, with [CLS]-pooler or mean pooling."""

    def __init__(self, config, pooling, labels=2):
        super().__init__(vocab=config["vocab_size"], hidden=config["hidden_size"], layers=config["num_hidden_layers"],
                         heads=config["num_attention_heads"], ffn=config["intermediate_size"],
                         positions=config["max_position_embeddings"], dropout=config["hidden_dropout_prob"],
                         labels=labels)
        if config.get("hidden_act") != "gelu" or config.get("type_vocab_size") != 2 \
                or config.get("attention_probs_dropout_prob") != config["hidden_dropout_prob"]:
            sys.exit(f"config.json: this reference only builds BERTs with gelu, 2 token types and one dropout rate")
        self.pooling = pooling
        if pooling == "mean":
            self.pooler = None  # not part of the model, so neither trained nor decayed

    @staticmethod
    def mean_pool(hidden, mask):
        """(B, T, H), (B, T) → (B, H): the mean over the real tokens ([CLS] and [SEP] included, as Glossa)."""
        weights = mask.unsqueeze(2).to(hidden.dtype)  # (B, T, 1)
        return (hidden * weights).sum(1) / weights.sum(1).clamp_min(1e-9)

    def forward(self, ids, mask):
        hidden = self.encode(ids, mask)  # (B, T, H)
        if self.pooling == "mean":
            sentence = self.mean_pool(hidden, mask)  # (B, H)
        else:
            sentence = torch.tanh(self.pooler(hidden[:, 0]))  # (B, H)
        return self.classifier(self.dropout(sentence))  # (B, labels)


def hf_names(model):
    """Our parameters' sources among HF's names: name -> (tensor, [HF names], how to combine them)."""
    mapping = {
        "word.weight": ["embeddings.word_embeddings.weight"],
        "position.weight": ["embeddings.position_embeddings.weight"],
        "token_type.weight": ["embeddings.token_type_embeddings.weight"],
        "norm.weight": ["embeddings.LayerNorm.weight"],
        "norm.bias": ["embeddings.LayerNorm.bias"],
    }
    for i in range(len(model.encoder.layers)):
        ours, hf = f"encoder.layers.{i}.", f"encoder.layer.{i}."
        for kind in ("weight", "bias"):
            # nn.MultiheadAttention keeps q, k and v as one (3H, H) projection, stacked in that order.
            mapping[ours + f"self_attn.in_proj_{kind}"] = [hf + f"attention.self.{p}.{kind}" for p in ("query", "key", "value")]
            mapping[ours + f"self_attn.out_proj.{kind}"] = [hf + f"attention.output.dense.{kind}"]
            mapping[ours + f"norm1.{kind}"] = [hf + f"attention.output.LayerNorm.{kind}"]
            mapping[ours + f"linear1.{kind}"] = [hf + f"intermediate.dense.{kind}"]
            mapping[ours + f"linear2.{kind}"] = [hf + f"output.dense.{kind}"]
            mapping[ours + f"norm2.{kind}"] = [hf + f"output.LayerNorm.{kind}"]
    return mapping


def load_pretrained(model, tensors, seed):
    """The encoder from HF-named tensors (an optional bert. prefix), strictly; the head new from N(0, 0.02)."""
    tensors = {(n[len("bert."):] if n.startswith("bert.") else n): t for n, t in tensors.items()}
    mapping = hf_names(model)
    params = dict(model.named_parameters())
    used = set()
    with torch.no_grad():
        for ours, sources in mapping.items():
            missing = [s for s in sources if s not in tensors]
            if missing:
                sys.exit(f"model.safetensors: no tensor {missing[0]} (for {ours})")
            value = torch.cat([tensors[s] for s in sources], 0)
            if value.shape != params[ours].shape:
                sys.exit(f"model.safetensors: {sources} give shape {list(value.shape)}, {ours} is {list(params[ours].shape)}")
            params[ours].copy_(value)
            used.update(sources)
        unused = sorted(set(tensors) - used - {"pooler.dense.weight", "pooler.dense.bias", "embeddings.position_ids"})
        if unused:
            sys.exit(f"model.safetensors: tensor {unused[0]} has no place in the model ({len(unused)} unused)")
        loaded = {n for n in params if n in mapping}
        new = ["classifier"]
        if model.pooler is not None:
            if "pooler.dense.weight" in tensors:
                model.pooler.weight.copy_(tensors["pooler.dense.weight"])
                model.pooler.bias.copy_(tensors["pooler.dense.bias"])
                loaded.update({"pooler.weight", "pooler.bias"})
            else:
                new.append("pooler")
        generator = torch.Generator().manual_seed(seed)
        for name in new:
            linear = getattr(model, name)
            linear.weight.copy_(torch.randn(linear.weight.shape, generator=generator) * 0.02)
            linear.bias.zero_()
            loaded.update({f"{name}.weight", f"{name}.bias"})
    if loaded != set(params):
        sys.exit(f"internal: parameters {sorted(set(params) - loaded)} are neither loaded nor initialised")
    return new


def check_loading(model, check):
    """Our fp32 sentence vectors against ONNX Runtime's and Glossa's, in eval mode; stops the script on a mismatch."""
    ids, mask = padded(check["ids"])
    onnx = torch.tensor(check["onnxruntime_mean"])
    glossa = torch.tensor(check["glossa_normalised"])
    model.eval()
    worst = {}
    # Under no_grad nn.TransformerEncoderLayer takes its fused inference path; with gradients on, the module path
    # that training runs. Both must load the same network.
    for path, grad in (("fused", False), ("training", True)):
        with torch.set_grad_enabled(grad):
            mean = model.mean_pool(model.encode(ids, mask), mask).detach()  # (B, H)
        normalised = nn.functional.normalize(mean, dim=1)
        worst[f"{path}_vs_onnxruntime"] = (mean - onnx).abs().max().item()
        worst[f"{path}_vs_glossa"] = (normalised - glossa).abs().max().item()
    print(json.dumps({"check_sentences": len(check["ids"]), "max_abs_diff": worst}), flush=True)
    if max(worst.values()) > CHECK_TOLERANCE:
        sys.exit(f"loading check failed: sentence vectors differ by {max(worst.values()):.3g} > {CHECK_TOLERANCE}")


def random_batches(count, batch_size, generator, lengths):
    """One epoch: a random permutation cut into batches (the tutorial's RandomSampler)."""
    order = torch.randperm(count, generator=generator).tolist()
    return [order[i:i + batch_size] for i in range(0, count, batch_size)]


def grouped_batches(count, batch_size, generator, lengths, mega_factor=50):
    """One epoch as HF's group-by-length sampling and Glossa's LengthGroupedBatches (our own draws, not theirs)."""
    order = torch.randperm(count, generator=generator).tolist()
    batches = []
    mega = mega_factor * batch_size
    for start in range(0, count, mega):
        group = sorted(order[start:start + mega], key=lambda i: -lengths[i])
        batches.extend(group[i:i + batch_size] for i in range(0, len(group), batch_size))
    shuffled = torch.randperm(len(batches), generator=generator).tolist()
    return [batches[i] for i in shuffled]


def evaluate(model, dev, batch_size=64):
    """Dev loss, MCC and accuracy in eval mode."""
    model.eval()
    order = sorted(range(len(dev["ids"])), key=lambda i: len(dev["ids"][i]))
    predictions = [0] * len(order)
    total_loss = 0.0
    with torch.no_grad():
        for start in range(0, len(order), batch_size):
            members = order[start:start + batch_size]
            ids, mask = padded([dev["ids"][i] for i in members])
            labels = torch.tensor([dev["labels"][i] for i in members])
            logits = model(ids, mask)
            total_loss += nn.functional.cross_entropy(logits, labels, reduction="sum").item()
            for i, p in zip(members, logits.argmax(1).tolist()):
                predictions[i] = p
    model.train()
    return {"dev_loss": total_loss / len(order), "dev_mcc": matthews_corrcoef(dev["labels"], predictions),
            "dev_accuracy": accuracy_score(dev["labels"], predictions),
            "dev_predicted_acceptable": sum(predictions) / len(predictions)}


def fine_tune(data, config, tensors, args, seed, out):
    torch.manual_seed(seed)  # dropout
    model = MiniLmClassifier(config, args.pooling, labels=len(data["label_names"]))
    new = load_pretrained(model, tensors, seed)
    check_loading(model, data["check"])
    model.train()

    optimizer = adamw(model, args.lr, args.weight_decay)
    train = data["train"]
    count = len(train["ids"])
    per_epoch = math.ceil(count / args.batch_size)
    total = per_epoch * args.epochs
    warmup = math.ceil(args.warmup_ratio * total)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: step / warmup if step < warmup else max(0.0, (total - step) / max(1, total - warmup)))
    make_batches = grouped_batches if args.batches == "grouped" else random_batches
    lengths = [len(r) for r in train["ids"]]
    generator = torch.Generator().manual_seed(seed)
    print(f"seed {seed}: {count} train sentences, {per_epoch} batches of {args.batch_size} per epoch, {total} steps"
          f" ({warmup} warmup), {args.pooling} pooling, lr {args.lr}, {args.batches} batches; new: {', '.join(new)}",
          file=sys.stderr, flush=True)
    step = 0
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        losses = []
        for batch in make_batches(count, args.batch_size, generator, lengths):
            ids, mask = padded([train["ids"][i] for i in batch])
            labels = torch.tensor([train["labels"][i] for i in batch])
            loss = nn.functional.cross_entropy(model(ids, mask), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.max_grad_norm)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(loss.item())
            step += 1
            if step % 50 == 0:
                elapsed = time.perf_counter() - start
                print(f"  step {step}/{total}  loss {sum(losses[-50:]) / len(losses[-50:]):.4f}  "
                      f"{elapsed:.0f} s, ETA {elapsed / step * (total - step):.0f} s", file=sys.stderr, flush=True)
        record = {"seed": seed, "pooling": args.pooling, "lr": args.lr, "batches": args.batches, "epoch": epoch,
                  "step": step, "train_loss": sum(losses) / len(losses)}
        record.update(evaluate(model, data["dev"]))
        record["seconds"] = round(time.perf_counter() - start, 1)
        line = json.dumps(record)
        print(line, flush=True)
        if out:
            out.write(line + "\n")
            out.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data")
    parser.add_argument("--pooling", choices=("mean", "cls"), default="mean")
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--warmup-ratio", type=float, default=0.1)
    parser.add_argument("--max-grad-norm", type=float, default=1.0)
    parser.add_argument("--seeds", default="42")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batches", choices=("random", "grouped"), default="random")
    parser.add_argument("--out")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.data) as f:
        data = json.load(f)
    model_dir = data["model_dir"]
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    tensors = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    out = open(args.out, "a") if args.out else None
    try:
        for seed in (int(s) for s in args.seeds.split(",")):
            fine_tune(data, config, tensors, args, seed, out)
    finally:
        if out:
            out.close()


if __name__ == "__main__":
    main()
