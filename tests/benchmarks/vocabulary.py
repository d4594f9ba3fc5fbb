"""The words a generated library is written in: hand-made lists of research vocabulary, names
from many languages, and method names coined per seed, drawn with Zipf-like frequencies.

Why our own vocabulary rather than recombined real abstracts: the suite must run anywhere (CI
included) without the shared sample files, and a search engine's cost depends on how the words
are distributed. Real corpora have a few very common words and a long tail of rare ones (every
paper names its own method), so the draws here are skewed the same way and the coined names
grow with the library.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

ADJECTIVES = (
    "adaptive", "sparse", "robust", "scalable", "efficient", "hierarchical", "contrastive",
    "causal", "probabilistic", "differentiable", "federated", "multilingual", "multimodal",
    "self-supervised", "generative", "discriminative", "bayesian", "stochastic", "convex",
    "low-rank", "equivariant", "interpretable", "incremental", "distributed", "asynchronous",
    "latent", "neural", "symbolic", "recurrent", "convolutional", "geometric", "spectral",
    "temporal", "spatial", "dynamic", "lightweight", "compositional", "few-shot", "zero-shot",
    "unsupervised", "semi-supervised", "adversarial", "private", "fair", "quantized",
    "structured", "implicit", "variational", "continual", "online", "offline", "decentralized",
    "approximate", "optimal", "regularized", "hybrid", "modular", "explainable", "calibrated",
    "uncertainty-aware", "context-aware", "memory-efficient", "end-to-end", "hardware-aware",
    "physics-informed", "nonparametric", "invariant", "attentive", "pretrained", "frozen",
    "multi-agent", "long-context", "instruction-tuned", "retrieval-augmented", "sample-efficient",
    "provable", "certified", "tractable", "nonlinear", "linear", "deep", "shallow", "wide",
)  # fmt: skip
NOUNS = (
    "networks", "transformers", "encoders", "decoders", "embeddings", "representations",
    "policies", "agents", "models", "estimators", "kernels", "graphs", "trees", "attention",
    "diffusion", "samplers", "optimizers", "gradients", "objectives", "priors", "posteriors",
    "features", "tokens", "prompts", "adapters", "experts", "routers", "memories", "programs",
    "circuits", "fields", "operators", "manifolds", "flows", "autoencoders", "classifiers",
    "regressors", "ensembles", "distillation", "pruning", "quantization", "augmentation",
    "alignment", "reasoning", "planning", "exploration", "rewards", "critics", "world models",
    "language models", "vision transformers", "state-space models", "mixtures of experts",
    "neural fields", "point clouds", "meshes", "signals", "spectra", "walks", "hypergraphs",
    "sketches", "hash functions", "indexes", "caches", "schedulers", "compilers", "solvers",
)  # fmt: skip
TASKS = (
    "image classification", "semantic segmentation", "machine translation", "summarization",
    "dense retrieval", "question answering", "motion planning", "robot control", "navigation",
    "object detection", "multi-object tracking", "time-series forecasting", "recommendation",
    "dependency parsing", "named entity recognition", "clustering", "learning to rank",
    "image compression", "3D reconstruction", "denoising", "speech recognition",
    "speaker verification", "anomaly detection", "link prediction", "node classification",
    "program synthesis", "code completion", "theorem proving", "protein design",
    "molecule generation", "weather prediction", "text-to-image generation", "video understanding",
    "dialogue", "fact verification", "entity linking", "causal discovery", "domain adaptation",
    "active learning", "hyperparameter optimization", "neural architecture search",
    "model compression", "continual learning", "federated optimization", "off-policy evaluation",
)  # fmt: skip
DOMAINS = (
    "medical imaging", "genomics", "climate science", "autonomous driving", "robotics",
    "finance", "legal documents", "scientific literature", "education", "chemistry",
    "materials science", "astronomy", "agriculture", "social networks", "e-commerce",
    "low-resource languages", "edge devices", "particle physics", "neuroscience", "ecology",
    "cybersecurity", "software engineering", "healthcare records", "remote sensing", "music",
)  # fmt: skip
PROPERTIES = (
    "generalization", "robustness", "sample complexity", "convergence", "expressivity",
    "stability", "calibration", "fairness", "privacy", "identifiability", "scaling behaviour",
    "memorization", "transferability", "efficiency", "interpretability", "consistency",
)  # fmt: skip
METRICS = (
    "accuracy", "F1", "BLEU", "recall at 10", "mean average precision", "perplexity",
    "success rate", "top-1 accuracy", "AUC", "word error rate", "latency", "throughput",
)  # fmt: skip
RESOURCES = (
    "labelled data", "human annotations", "paired examples", "a simulator", "expert demonstrations",
    "hand-crafted features", "a pretrained teacher", "task-specific tuning", "external memory",
)  # fmt: skip
CONDITIONS = (
    "distribution shift", "label noise", "limited compute", "adversarial perturbations",
    "missing modalities", "class imbalance", "partial observability", "heavy-tailed noise",
)  # fmt: skip
GIVEN = (
    "Ana", "Björn", "Chen", "Dmitri", "Élodie", "Farah", "Günther", "Hiroshi", "Inés", "José",
    "Kwame", "Léa", "Marta", "Nguyễn", "Oğuz", "Priya", "Rafael", "Søren", "Tomás", "Yuki",
    "Zoë", "Łukasz", "Jiří", "Zoltán", "Anaïs", "Siobhán", "João", "François", "Åsa", "Mikołaj",
    "Wei", "Xiaoming", "Aditya", "Olúwaṣeun", "Ngozi", "Fatima", "Ömer", "Renée", "Ñusta",
    "Maximilian", "Sophie", "David", "Laura", "Ibrahim", "Mei", "Carlos", "Elena", "Kenji",
)  # fmt: skip
FAMILY = (
    "Müller", "García", "Wang", "Smith", "Kowalski", "Ivanova", "Dubois", "Rossi", "Andersson",
    "Tanaka", "O'Brien", "Nakamura", "Schölkopf", "Ødegaard", "Novák", "Hernández", "Li",
    "Brown", "Zhang", "Kim", "Núñez", "Peña", "Żukowski", "Dvořák", "Çelik", "Yılmaz", "Lê",
    "Schäfer", "Gößling", "Sørensen", "Håkansson", "Ferreira", "Okonkwo", "Patel", "Chatterjee",
    "Moreau", "Lindqvist", "Horváth", "Papadopoulos", "Kuznetsov", "Abe", "Mendoza", "Liu",
    "Chen", "Singh", "Cohen", "Haddad", "Jensen", "Bianchi", "Costa",
)  # fmt: skip
PARTICLES = ("van der", "de la", "von", "van", "de", "di", "da", "le", "van den", "del")
SUFFIXES = ("Jr.", "III", "Sr.")
VENUES = (
    ("journal", "Journal of Machine Learning Research"),
    ("journal", "Transactions on Pattern Analysis and Machine Intelligence"),
    ("journal", "Nature Machine Intelligence"),
    ("journal", "Transactions on Information Systems"),
    ("journal", "Computational Linguistics"),
    ("journal", "Communications of the ACM"),
    ("journal", "Bioinformatics"),
    ("journal", "Physical Review E"),
    ("booktitle", "Advances in Neural Information Processing Systems"),
    ("booktitle", "Proceedings of the International Conference on Machine Learning"),
    ("booktitle", "International Conference on Learning Representations"),
    ("booktitle", "Proceedings of the Annual Meeting of the Association for Computational "
                  "Linguistics"),
    ("booktitle", "Conference on Computer Vision and Pattern Recognition"),
    ("booktitle", "Proceedings of SIGIR"),
    ("booktitle", "Proceedings of the AAAI Conference on Artificial Intelligence"),
    ("booktitle", "Robotics: Science and Systems"),
    ("booktitle", "Proceedings of KDD"),
    ("booktitle", "Empirical Methods in Natural Language Processing"),
)  # fmt: skip
TAGS = (
    "nlp", "vision", "rl", "theory", "to-cite", "reproduce", "survey", "optimization", "graphs",
    "speech", "robotics", "retrieval", "generative", "llm", "benchmarks", "privacy", "fairness",
    "causality", "bayesian", "compression", "systems", "hci", "biology", "medicine", "physics",
    "multimodal", "efficiency", "interpretability", "security", "datasets", "thesis-ch2",
    "thesis-ch3", "reading-group", "related-work", "baseline", "negative-result", "favourite",
    "skimmed", "math-heavy", "code-available", "time-series", "federated", "diffusion",
    "transformers", "kernels", "sampling", "planning", "audio", "3d", "tabular",
)  # fmt: skip
LIST_NAMES = (
    "Thesis background", "Reading group", "To cite in chapter 3", "Rebuttal", "Baselines",
    "Survey draft", "Teaching: ML course", "Summer project", "Grant proposal", "Favourites",
    "Reviewer 2 asked", "Start here",
)  # fmt: skip
_ONSETS = ("b", "br", "c", "d", "dr", "f", "g", "gr", "k", "l", "m", "n", "p", "pr", "qu",
           "r", "s", "st", "t", "tr", "v", "x", "z")  # fmt: skip
_NUCLEI = ("a", "e", "i", "o", "u", "ae", "io", "ou", "y")
_CODAS = ("", "", "n", "r", "s", "x", "l", "m", "nt", "rk")


class Zipf:
    """Words drawn with weight 1/(rank + 2): the first few are common, the rest a long tail."""

    def __init__(self, words: Sequence[str], exponent: float = 1.0) -> None:
        self.words = tuple(words)
        weights = [1 / (rank + 2) ** exponent for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.words, cum_weights=self.cumulative)[0]

    def sample(self, rng: random.Random, count: int) -> list[str]:
        """``count`` different words (fewer when the list is shorter)."""
        chosen: dict[str, None] = {}
        for _ in range(count * 4):
            if len(chosen) >= min(count, len(self.words)):
                break
            chosen[self.pick(rng)] = None
        return list(chosen)


def coined_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct made-up method names (Velarix, StrouNet, …), as papers coin them:
    the rare words of a corpus. Their order is the seed's, so common ones differ by seed."""
    names: dict[str, None] = {}
    while len(names) < count:
        syllables = [
            rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
            for _ in range(rng.randint(2, 3))
        ]
        name = "".join(syllables).capitalize()
        if rng.random() < 0.3:
            name += rng.choice(("Net", "Former", "GAN", "Flow", "LM", "Diff", "RL"))
        names[name] = None
    return list(names)


def shuffled(words: Sequence[str], rng: random.Random) -> list[str]:
    """A copy in the seed's order: which words are the common ones depends on the seed."""
    copy = list(words)
    rng.shuffle(copy)
    return copy
