"""End-to-end tests of `precept lsp` with a real LSP client (pytest-lsp, on pygls/lsprotocol).

    PRECEPT=.build/debug/precept python3 -m pytest Tests/lsp -q

Every range is asserted exactly, in UTF-16 code units as the protocol counts them, including on a
line where 😀 and 𠀀 (two code units each, one Unicode scalar each) precede the error.
"""
import asyncio
import os
import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

REPO = pathlib.Path(__file__).resolve().parents[2]
PRECEPT = os.environ.get("PRECEPT", str(REPO / ".build/debug/precept"))

MAIN = """precept: 1
rulebook: t.main
imports:
  - { path: lib.yaml, as: lib }
schema:
  product:
    kind: enum(loan, card)
    apr: percent
    fees: 'list(record(name: text, amount: money))'
definitions:
  high: product.apr > 20%
rules:
  - id: R-ONE
    title: The rate stays under the cap
    owner: risk
    severity: block
    require: product.apr <= lib.cap
    cite: "illustrative: policy"
  - id: R-TWO
    severity: warning
    message: "{count(product.fees)} fees"
    require: product.kind == loan and not high
  - id: R-BAD
    severity: info
    require: '"😀𠀀" != "" and product.aprr > 1%'
tests:
  - name: t
    facts: { product: { kind: loan, apr: 10%, fees: [] } }
    expect: { outcome: pass, violated: [R-ONE] }
"""

LIB = """precept: 1
rulebook: t.lib
definitions:
  cap: 24%
"""


def u16(s: str) -> int:
    """The length of `s` in UTF-16 code units."""
    return len(s.encode("utf-16-le")) // 2


def pos(text: str, needle: str, line_hint: str | None = None) -> t.Position:
    """The protocol position of `needle` (on the line containing `line_hint`)."""
    for n, line in enumerate(text.split("\n")):
        if (line_hint is None or line_hint in line) and needle in line:
            return t.Position(line=n, character=u16(line[: line.index(needle)]))
    raise AssertionError(f"{needle!r} not found")


def rng(text: str, needle: str, line_hint: str | None = None) -> t.Range:
    start = pos(text, needle, line_hint)
    return t.Range(start=start, end=t.Position(line=start.line, character=start.character + u16(needle)))


@pytest.fixture
def files(tmp_path):
    (tmp_path / ".git").mkdir()  # the project root
    (tmp_path / "main.yaml").write_text(MAIN, encoding="utf-8")
    (tmp_path / "lib.yaml").write_text(LIB, encoding="utf-8")
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[PRECEPT, "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=REPO.as_uri())
    )
    yield
    await lsp_client.shutdown_session()


async def open_doc(client, path: pathlib.Path, text: str):
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=path.as_uri(), language_id="yaml", version=1, text=text)
        )
    )
    await client.wait_for_notification("textDocument/publishDiagnostics")


async def change(client, path: pathlib.Path, version: int, r: t.Range, text: str):
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[t.TextDocumentContentChangePartial(range=r, text=text)],
        )
    )
    await client.wait_for_notification("textDocument/publishDiagnostics")


@pytest.mark.asyncio
async def test_diagnostics_after_astral_characters_then_fixed_by_an_incremental_change(client: LanguageClient, files):
    main = files / "main.yaml"
    await open_doc(client, main, MAIN)
    ds = client.diagnostics[main.as_uri()]
    assert [d.code for d in ds] == ["P0502"]
    d = ds[0]
    # `aprr` follows 😀𠀀: column 37 in Unicode scalars, 39 in UTF-16 code units.
    line = MAIN.split("\n")[d.range.start.line]
    assert line.index("aprr") == 37
    assert d.range == rng(MAIN, "aprr")
    assert d.range.start.character == 39
    assert d.severity == t.DiagnosticSeverity.Error
    assert "help: did you mean `apr`?" in d.message

    # Replace `aprr` by `apr` with a range edit: clean.
    await change(client, main, 2, rng(MAIN, "aprr"), "apr")
    assert list(client.diagnostics[main.as_uri()]) == []


@pytest.mark.asyncio
async def test_a_change_in_an_imported_file_rechecks_its_importer(client: LanguageClient, files):
    main, lib = files / "main.yaml", files / "lib.yaml"
    fixed = MAIN.replace("aprr", "apr")
    await open_doc(client, main, fixed)
    await open_doc(client, lib, LIB)
    assert list(client.diagnostics[main.as_uri()]) == []
    # `cap` becomes money: the importer's comparison of a percent with money is now an error.
    await change(client, lib, 2, rng(LIB, "24%"), "24 CNY")
    # One publication per file, lib.yaml's first: wait for main.yaml's.
    for _ in range(50):
        if client.diagnostics.get(main.as_uri()):
            break
        await asyncio.sleep(0.02)
    codes = [d.code for d in client.diagnostics.get(main.as_uri(), [])]
    assert "P0504" in codes
    d = next(d for d in client.diagnostics[main.as_uri()] if d.code == "P0504")
    assert d.range == rng(fixed, "product.apr <= lib.cap")


@pytest.mark.asyncio
async def test_hover_definition_references(client: LanguageClient, files):
    main = files / "main.yaml"
    await open_doc(client, main, MAIN)
    doc = t.TextDocumentIdentifier(uri=main.as_uri())

    h = await client.text_document_hover_async(t.HoverParams(text_document=doc, position=pos(MAIN, "apr <=")))
    assert "fact `product.apr`: `percent`" in h.contents.value
    assert h.range == rng(MAIN, "product.apr", "require: product.apr <=")

    h = await client.text_document_hover_async(t.HoverParams(text_document=doc, position=pos(MAIN, "R-ONE")))
    assert "The rate stays under the cap" in h.contents.value and "block" in h.contents.value
    assert "owner: `risk`" in h.contents.value and "illustrative: policy" in h.contents.value

    # On the diagnostic: the code's explanation from docs/diagnostics.md.
    h = await client.text_document_hover_async(t.HoverParams(text_document=doc, position=pos(MAIN, "aprr")))
    assert h.contents.value.startswith("## P0502")

    # Go to definition of an imported name: into the imported file.
    loc = await client.text_document_definition_async(t.DefinitionParams(text_document=doc, position=pos(MAIN, "cap", "lib.cap")))
    assert loc.uri == (files / "lib.yaml").as_uri()
    assert loc.range == rng(LIB, "cap")

    # A definition's references: its declaration and its use.
    refs = await client.text_document_references_async(
        t.ReferenceParams(text_document=doc, position=pos(MAIN, "high", "high:"), context=t.ReferenceContext(include_declaration=True))
    )
    assert [r.range for r in refs] == [rng(MAIN, "high", "high:"), rng(MAIN, "high", "not high")]

    # A rule id in a test's expectation leads to the rule.
    loc = await client.text_document_definition_async(t.DefinitionParams(text_document=doc, position=pos(MAIN, "R-ONE", "violated")))
    assert loc.range == rng(MAIN, "R-ONE", "id: R-ONE")

    # A schema field: the fact's declaration.
    loc = await client.text_document_definition_async(t.DefinitionParams(text_document=doc, position=pos(MAIN, "kind ==")))
    assert loc.range == rng(MAIN, "kind", "kind: enum")


@pytest.mark.asyncio
async def test_completion(client: LanguageClient, files):
    main = files / "main.yaml"
    await open_doc(client, main, MAIN)
    doc = t.TextDocumentIdentifier(uri=main.as_uri())
    # Fact paths after `.`.
    at = pos(MAIN, "apr <=")
    r = await client.text_document_completion_async(t.CompletionParams(text_document=doc, position=at))
    items = r if isinstance(r, list) else r.items
    assert {i.label for i in items} == {"kind", "apr", "fees"}
    assert next(i for i in items if i.label == "apr").detail == "percent"
    # Enum cases where an enum is compared.
    at = pos(MAIN, "loan and")
    r = await client.text_document_completion_async(t.CompletionParams(text_document=doc, position=at))
    items = r if isinstance(r, list) else r.items
    assert [i.label for i in items] == ["loan", "card"]
    # Builtins with their signatures, and names.
    at = pos(MAIN, "product.apr <=")
    r = await client.text_document_completion_async(t.CompletionParams(text_document=doc, position=at))
    items = {i.label: i for i in (r if isinstance(r, list) else r.items)}
    assert "count(list) → int" in items["count"].detail
    assert {"high", "lib", "product", "today"} <= set(items)
    # Rule keys where a key is typed in a rule.
    line = MAIN.split("\n").index("    severity: info")
    r = await client.text_document_completion_async(t.CompletionParams(text_document=doc, position=t.Position(line=line, character=4)))
    labels = {i.label for i in (r if isinstance(r, list) else r.items)}
    assert {"severity", "require", "cite", "message"} <= labels and "rulebook" not in labels


@pytest.mark.asyncio
async def test_code_actions(client: LanguageClient, files):
    main = files / "main.yaml"
    text = MAIN.replace("    cite: \"illustrative: policy\"\n", "")
    await open_doc(client, main, text)
    doc = t.TextDocumentIdentifier(uri=main.as_uri())
    everything = t.Range(start=t.Position(line=0, character=0), end=t.Position(line=40, character=0))

    async def actions():
        got = await client.text_document_code_action_async(
            t.CodeActionParams(text_document=doc, range=everything, context=t.CodeActionContext(diagnostics=[])))
        return {a.title: a.edit.changes[main.as_uri()] for a in got}

    # The did-you-mean of P0502, and a `cite:` for the blocking rule without one (P0608).
    got = await actions()
    (e,) = got["Change to `apr`"]
    assert e.range == rng(text, "aprr") and e.new_text == "apr"
    (e,) = got["Add a `cite:`"]
    id_line = text.split("\n").index("  - id: R-ONE")
    assert e.range == t.Range(start=t.Position(line=id_line + 1, character=0), end=t.Position(line=id_line + 1, character=0))
    assert e.new_text == '    cite: "illustrative: …"\n'

    # An expression with `: ` left unquoted: YAML refuses the file; the fix quotes it.
    unquoted = text.replace("require: product.kind == loan and not high", "require: any f in product.fees: f.amount > 0 CNY")
    whole = t.Range(start=t.Position(line=0, character=0), end=t.Position(line=len(text.split("\n")), character=0))
    await change(client, main, 2, whole, unquoted)
    (e,) = (await actions())["Quote the expression (it contains `: `)"]
    assert e.range == rng(unquoted, "any f in product.fees: f.amount > 0 CNY")
    assert e.new_text == "'any f in product.fees: f.amount > 0 CNY'"


@pytest.mark.asyncio
async def test_symbols_and_semantic_tokens(client: LanguageClient, files):
    main = files / "main.yaml"
    await open_doc(client, main, MAIN)
    doc = t.TextDocumentIdentifier(uri=main.as_uri())
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(text_document=doc))
    assert [s.name for s in symbols] == ["high", "R-ONE", "R-TWO", "R-BAD", "t"]
    r1 = symbols[1]
    assert r1.selection_range == rng(MAIN, "R-ONE", "id: R-ONE") and r1.detail == "The rate stays under the cap"

    tokens = await client.text_document_semantic_tokens_full_async(t.SemanticTokensParams(text_document=doc))
    legend = ["keyword", "number", "string", "operator", "variable", "property", "function", "enumMember", "namespace"]
    decoded, line, char = [], 0, 0
    data = tokens.data
    for i in range(0, len(data), 5):
        line += data[i]
        char = data[i + 1] if data[i] else char + data[i + 1]
        decoded.append((line, char, data[i + 2], legend[data[i + 3]]))
    bad = pos(MAIN, '"😀𠀀"').line
    on_bad = [(c, n, k) for (l, c, n, k) in decoded if l == bad]
    # "😀𠀀" is 6 UTF-16 units with its quotes.
    assert on_bad[0] == (pos(MAIN, '"😀𠀀"').character, 6, "string")
    assert (pos(MAIN, "product.aprr").character, 7, "variable") in on_bad
    assert (pos(MAIN, "aprr").character, 4, "property") in on_bad
    assert (pos(MAIN, "loan and").character, 4, "enumMember") in [(c, n, k) for (l, c, n, k) in decoded]
