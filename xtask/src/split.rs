//! WASM code splitting after trunk: trunk 0.21 cannot split, so we redo its
//! last two steps on the linker output it left in `target/`:
//!
//! 1. `wasm_split_cli_support::transform` cuts the raw `yuelan.wasm` (linked
//!    with `--emit-relocs`, see `build.rs`) at the `#[lazy]` / `#[lazy_route]`
//!    split points into a main module, one module per split point and shared
//!    chunks, and writes `__wasm_split.js`, the loader the main module imports.
//! 2. wasm-bindgen (`--keep-lld-exports --no-demangle`) on the main module
//!    only; the chunks are plain WASM that import the main module's memory,
//!    table and shared symbols.
//! 3. wasm-opt on every module (after the split: the split needs the
//!    relocations wasm-opt would drop).
//!
//! Then trunk's `yuelan-*.js` / `yuelan-*_bg.wasm` are replaced with these,
//! every file gets a content-hashed name, chunk fetches get SRI and a
//! fallback for webviews whose streaming instantiation fails.

use std::path::{Path, PathBuf};

use crate::util::{Cmd, Env, Result, root, sri, step};

/// wasm-opt flags: the same as index.html's `data-wasm-opt-params`.
const WASM_OPT: &[&str] = &[
    "-Oz",
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-reference-types",
];

/// Exports of the main module that nothing uses, removed before wasm-opt so
/// that it drops their code: `wasm-streams` (a dependency of Leptos's
/// `server_fn`, which this app does not use) exports three JS stream
/// classes through wasm-bindgen whatever the app calls. Measured on the
/// main module: 1,285 B brotli of code and glue that the app never runs.
const UNUSED_EXPORTS: &str = "*intounderlying*";

/// What the boot script needs: the main JS and WASM file names in `dist`.
pub struct Split {
    pub js: String,
    pub wasm: String,
    /// The chunk table's file name (`yuelan-chunks-HASH.json`: the `[path,
    /// SRI]` of every WASM chunk, and for each page the chunks it needs)
    /// and its SRI, for the boot script to prefetch a page's chunks.
    pub table: String,
    pub table_sri: String,
}

/// Where the app's release build goes: its own target directory, so that
/// `cargo xtask test` can build it while other cargo commands build and run
/// the tests (cargo locks a target directory for one command at a time), and
/// its single-threaded steps (LTO, wasm-opt) overlap with theirs.
pub fn app_target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("app")
}

fn target_dir() -> PathBuf {
    app_target_dir()
}

/// Splits the app in `dist`, if the build has split points. Returns `None`
/// (and leaves trunk's output alone) if it has none.
pub fn split(dist: &Path, env: &Env, trunk_js: &str, trunk_wasm: &str) -> Result<Option<Split>> {
    let raw_path = target_dir().join("wasm32-unknown-unknown/release/yuelan.wasm");
    let raw =
        std::fs::read(&raw_path).map_err(|e| format!("cannot read {}: {e}", raw_path.display()))?;
    if !contains(&raw, b"__wasm_split_placeholder__") {
        return Ok(None);
    }
    step("splitting the WASM at its #[lazy] split points");
    let work = target_dir().join("wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    let chunks_dir = work.join("chunks");
    let main_raw = work.join("main.wasm");
    std::fs::create_dir_all(&chunks_dir).map_err(|e| e.to_string())?;
    let out = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&raw);
        opts.output_dir = &chunks_dir;
        opts.main_out_path = &main_raw;
        opts.link_name = "./__wasm_split.js";
        opts.main_module = "./yuelan.js";
        opts
    })
    .map_err(|e| format!("wasm-split failed: {e:?}"))?;

    let bg = work.join("bindgen");
    Cmd::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--keep-lld-exports",
            "--no-demangle",
            "--no-typescript",
        ])
        .args(["--out-name", "yuelan", "--out-dir", &bg.to_string_lossy()])
        .arg(&main_raw.to_string_lossy())
        .envs(env)
        .run()?;
    let mut wasm_files: Vec<(String, PathBuf)> =
        vec![("yuelan_bg".into(), bg.join("yuelan_bg.wasm"))];
    for m in &out.split_modules {
        let stem = m.file_stem().unwrap().to_string_lossy().into_owned();
        wasm_files.push((stem, m.clone()));
    }
    for (stem, f) in &wasm_files {
        let f = f.to_string_lossy();
        let mut opt = Cmd::new("wasm-opt");
        if stem == "yuelan_bg" {
            // Passes run in the order given: the removal comes before -Oz.
            opt = opt
                .arg("--remove-exports")
                .arg(&format!("--pass-arg=remove-exports@{UNUSED_EXPORTS}"));
        }
        opt.args(WASM_OPT.iter().copied())
            .args([&*f, "-o", &*f])
            .envs(env)
            .run()?;
        let bytes = std::fs::read(&*f).map_err(|e| e.to_string())?;
        std::fs::write(&*f, drop_null_elements(&bytes)?).map_err(|e| e.to_string())?;
    }

    // Chunks: content-hashed names. The loader asks for each by its index
    // in the chunk table, which holds its path and SRI.
    let mut loader = read(&chunks_dir.join("__wasm_split.js"))?;
    let mut main_wasm = String::new();
    // File stem → (hashed name, SRI).
    let mut named = std::collections::HashMap::new();
    for (stem, f) in &wasm_files {
        let bytes = std::fs::read(f).map_err(|e| e.to_string())?;
        let name = if stem == "yuelan_bg" {
            format!("yuelan-{}_bg.wasm", crate::util::short_hash(&bytes))
        } else {
            // `split_x`/`chunk_N` → `yuelan-split_x-HASH.wasm`
            format!(
                "yuelan-{}-{}.wasm",
                stem.replace('_', "-").trim_matches('-'),
                crate::util::short_hash(&bytes)
            )
        };
        std::fs::write(dist.join(&name), &bytes).map_err(|e| e.to_string())?;
        if stem == "yuelan_bg" {
            main_wasm = name;
        } else {
            named.insert(stem.clone(), (name, sri(&bytes)));
        }
    }
    let table = ChunkTable::new(&out.prefetch_map, &named)?;
    for (stem, index) in &table.index {
        let old = format!("fetch(new URL(\"./{stem}.wasm\", import.meta.url))");
        if !loader.contains(&old) {
            return Err(format!(
                "__wasm_split.js does not fetch {stem}.wasm as expected"
            ));
        }
        loader = loader.replace(&old, &format!("chunk({index})"));
    }
    let table_json = table.json();
    let table_name = format!(
        "yuelan-chunks-{}.json",
        crate::util::short_hash(table_json.as_bytes())
    );
    std::fs::write(dist.join(&table_name), &table_json).map_err(|e| e.to_string())?;
    let table_sri = sri(table_json.as_bytes());
    // Streaming instantiation fails in some Android webviews (as in the boot
    // script): fall back to bytes.
    loader = loader.replace(
        "WebAssembly.instantiateStreaming(src, imports)",
        "instantiateFallback(src, imports)",
    );
    loader.push_str(
        &r#"
// The chunk table: every chunk's path and SRI, and the chunks of each
// page. It is a file of its own, fetched before the first chunk, not part
// of this loader: the loader is in every first load, and the table's
// hashes do not compress (measured at 132 chunks: the loader was 9,061 B
// brotli with the table, 1,642 B without). The boot script fetches it at
// once on a page that opens on a chunk (`window.__yuelanChunks`).
let table;
export function chunks() {
    if (!table) {
        const started = window.__yuelanChunks;
        window.__yuelanChunks = undefined;
        table = started || fetch(new URL("./__TABLE__", import.meta.url), { integrity: "__TABLE_SRI__" })
            .then((r) => {
                if (!r.ok) throw new Error("HTTP " + r.status);
                return r.json();
            });
        // A failed fetch is tried again by the next chunk that needs it.
        table.catch(() => { table = undefined; });
    }
    return table;
}
// A chunk's response: the boot script's fetch if it started this one.
function chunk(index) {
    return chunks().then((t) => {
        const [path, integrity] = t.files[index];
        return takePrefetched(path) || fetch(path, { integrity });
    });
}
// A chunk fetch the boot script started for the page it opened on (see
// `xtask/src/build.rs`), used once.
function takePrefetched(name) {
    const started = window.__yuelanPrefetch;
    const key = new URL(name, import.meta.url).pathname;
    const request = started && started.get(key);
    if (request) started.delete(key);
    return request;
}
async function instantiateFallback(src, imports) {
    const response = await src;
    if (!response.ok) throw new Error("HTTP " + response.status);
    if (WebAssembly.instantiateStreaming) {
        try {
            return await WebAssembly.instantiateStreaming(response.clone(), imports);
        } catch (e) {
            // Some Android webviews fail here; instantiate from bytes instead.
        }
    }
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
"#
        .replace("__TABLE__", &table_name)
        .replace("__TABLE_SRI__", &table_sri),
    );

    // The main JS and the loader import each other: one hash over both
    // (with the placeholder names) names them both.
    let main_js = crate::util::minify_js(&drop_stream_glue(&read(&bg.join("yuelan.js"))?)?)?;
    let loader = crate::util::minify_js(&loader)?;
    let mut h = main_js.as_bytes().to_vec();
    h.extend_from_slice(loader.as_bytes());
    h.extend_from_slice(main_wasm.as_bytes());
    let hash = crate::util::short_hash(&h);
    let js_name = format!("yuelan-{hash}.js");
    let loader_name = format!("yuelan-split-{hash}.js");
    // Only the module paths of `import … from`: the same string is also the
    // key of the WASM's imports, which must stay as it is.
    let main_js = replace_imports(&main_js, "./__wasm_split.js", &format!("./{loader_name}"))?;
    let loader = replace_imports(&loader, "./yuelan.js", &format!("./{js_name}"))?;
    std::fs::write(dist.join(&js_name), &main_js).map_err(|e| e.to_string())?;
    std::fs::write(dist.join(&loader_name), &loader).map_err(|e| e.to_string())?;

    // Replace trunk's files and its preload links.
    for old in [trunk_js, trunk_wasm] {
        std::fs::remove_file(dist.join(old)).map_err(|e| e.to_string())?;
    }
    let index_path = dist.join("index.html");
    let mut html = read(&index_path)?;
    for old in [trunk_js, trunk_wasm] {
        if let Some(at) = html.find(&format!("href=/{old} ")) {
            let start = html[..at]
                .rfind("<link")
                .ok_or("no <link before a preload")?;
            let end = html[at..].find('>').ok_or("unclosed <link")? + at + 1;
            html.replace_range(start..end, "");
        }
    }
    let links = format!(
        "<link crossorigin href=/{js_name} integrity={} rel=modulepreload>\
         <link crossorigin href=/{loader_name} integrity={} rel=modulepreload>\
         <link as=fetch crossorigin href=/{main_wasm} integrity={} rel=preload type=application/wasm>",
        sri(main_js.as_bytes()),
        sri(loader.as_bytes()),
        sri(&std::fs::read(dist.join(&main_wasm)).map_err(|e| e.to_string())?),
    );
    let head_end = html.find("</head>").ok_or("no </head>")?;
    html.insert_str(head_end, &links);
    std::fs::write(&index_path, html).map_err(|e| e.to_string())?;

    write_split_list(&work, &out.prefetch_map, &named)?;
    Ok(Some(Split {
        js: js_name,
        wasm: main_wasm,
        table: table_name,
        table_sri,
    }))
}

/// Writes `splits.tsv` beside the split's work files (not into `dist`):
/// a line per split point with the chunk files it needs, comma-separated,
/// for `cargo xtask bench` to print each route's bytes.
fn write_split_list(
    work: &Path,
    map: &std::collections::HashMap<String, Vec<String>>,
    named: &std::collections::HashMap<String, (String, String)>,
) -> Result<()> {
    let mut lines: Vec<String> = map
        .iter()
        .map(|(split, stems)| {
            let files: Vec<&str> = stems
                .iter()
                .filter_map(|s| named.get(s).map(|(name, _)| name.as_str()))
                .collect();
            format!("{split}\t{}", files.join(","))
        })
        .collect();
    lines.sort();
    std::fs::write(work.join("splits.tsv"), lines.join("\n") + "\n").map_err(|e| e.to_string())
}

/// The split points and their chunk files, as the last build wrote them.
pub fn split_list() -> Vec<(String, Vec<String>)> {
    let text =
        std::fs::read_to_string(target_dir().join("wasm-split/splits.tsv")).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(split, files)| {
            let files = files
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect();
            (split.to_owned(), files)
        })
        .collect()
}

/// The chunk table the loader and the boot script read: every chunk file
/// once, sorted by name so that the build is reproducible, and for each
/// page (a split point named `…_page`) the indexes of the chunks it needs.
struct ChunkTable<'a> {
    /// `(path, SRI)` of each chunk, in table order.
    files: Vec<&'a (String, String)>,
    /// File stem (as wasm-split names it) → index into `files`.
    index: Vec<(&'a str, usize)>,
    /// `(page, indexes)`, sorted by page.
    pages: Vec<(&'a str, Vec<usize>)>,
}

impl<'a> ChunkTable<'a> {
    fn new(
        map: &'a std::collections::HashMap<String, Vec<String>>,
        named: &'a std::collections::HashMap<String, (String, String)>,
    ) -> Result<Self> {
        let mut stems: Vec<(&str, &(String, String))> =
            named.iter().map(|(s, f)| (s.as_str(), f)).collect();
        stems.sort_by(|a, b| a.1.0.cmp(&b.1.0));
        let files = stems.iter().map(|(_, f)| *f).collect();
        let index: Vec<(&str, usize)> = stems
            .iter()
            .enumerate()
            .map(|(i, (s, _))| (*s, i))
            .collect();
        let mut pages = Vec::new();
        let mut splits: Vec<&String> = map.keys().filter(|s| s.ends_with("_page")).collect();
        splits.sort();
        for split in splits {
            let mut indexes = Vec::new();
            for stem in &map[split] {
                let i = index
                    .iter()
                    .find(|(s, _)| s == stem)
                    .map(|(_, i)| *i)
                    .ok_or_else(|| {
                        format!("split point {split} needs {stem}, which was not written")
                    })?;
                indexes.push(i);
            }
            pages.push((split.as_str(), indexes));
        }
        Ok(ChunkTable {
            files,
            index,
            pages,
        })
    }

    /// `{"files": [[path, SRI], …], "pages": {page: [index, …], …}}`.
    fn json(&self) -> String {
        let files: Vec<String> = self
            .files
            .iter()
            .map(|(name, sri)| format!("[\"/{name}\",\"{sri}\"]"))
            .collect();
        let pages: Vec<String> = self
            .pages
            .iter()
            .map(|(page, indexes)| {
                let indexes: Vec<String> = indexes.iter().map(usize::to_string).collect();
                format!("\"{page}\":[{}]", indexes.join(","))
            })
            .collect();
        format!(
            "{{\"files\":[{}],\"pages\":{{{}}}}}\n",
            files.join(","),
            pages.join(",")
        )
    }
}

/// `js` with every `import … from "<from>"` importing from `to` instead
/// (minified code has no space after `from`); an error if none does.
fn replace_imports(js: &str, from: &str, to: &str) -> Result<String> {
    let mut out = js.to_owned();
    let mut found = false;
    for gap in ["", " "] {
        let old = format!("from{gap}\"{from}\"");
        if out.contains(&old) {
            found = true;
            out = out.replace(&old, &format!("from{gap}\"{to}\""));
        }
    }
    if found {
        Ok(out)
    } else {
        Err(format!("the split's JS imports nothing from {from}"))
    }
}

/// wasm-bindgen's glue for the stream classes whose exports
/// [`UNUSED_EXPORTS`] removes: each `export class IntoUnderlying… { … }`
/// with its `Symbol.dispose` line, its `FinalizationRegistry` and the enum
/// of stream types. An error if any mention of them is left, so that a
/// change in wasm-bindgen's output cannot leave a call to a removed export.
fn drop_stream_glue(js: &str) -> Result<String> {
    let mut out = String::with_capacity(js.len());
    let mut lines = js.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("export class IntoUnderlying") {
            // Up to and including the class's `Symbol.dispose` line.
            for inner in lines.by_ref() {
                if inner.starts_with("if (Symbol.dispose) IntoUnderlying") {
                    break;
                }
            }
        } else if line.starts_with("const IntoUnderlying") && line.contains("Finalization") {
            // Three lines, the last ending the statement.
            for inner in lines.by_ref() {
                if inner.trim_end().ends_with(");") {
                    break;
                }
            }
        } else if !line.starts_with("const __wbindgen_enum_ReadableStreamType") {
            out.push_str(line);
            out.push('\n');
        }
    }
    if out.to_ascii_lowercase().contains("intounderlying") {
        return Err("the main JS still mentions the removed stream exports: \
                    wasm-bindgen's glue changed; update drop_stream_glue"
            .into());
    }
    Ok(out)
}

/// `wasm` without its active element segments that hold only `ref.null`.
/// wasm-split writes one into the main module for each chunk, over the
/// table slots the chunk fills when it loads; a table's slots start null,
/// so they do nothing but cost bytes (measured: 132 of them were 471 B of
/// the main module's brotli). Every other section is copied as it is.
fn drop_null_elements(wasm: &[u8]) -> Result<Vec<u8>> {
    use wasmparser::{ElementItems, ElementKind, Operator, Parser, Payload};
    let err = |e: wasmparser::BinaryReaderError| format!("cannot read a split module: {e}");
    let mut out = wasm.get(..8).ok_or("not a WASM module")?.to_vec();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(err)?;
        let Some((id, range)) = payload.as_section() else {
            continue;
        };
        let body = &wasm[range.start as usize..range.end as usize];
        let body = match payload {
            Payload::ElementSection(reader) => {
                let mut kept = Vec::new();
                let mut count = 0u32;
                for element in reader {
                    let element = element.map_err(err)?;
                    let null_only = match (&element.kind, &element.items) {
                        (ElementKind::Active { .. }, ElementItems::Expressions(_, exprs)) => {
                            let mut all = true;
                            for expr in exprs.clone() {
                                let ops: Vec<Operator> = expr
                                    .map_err(err)?
                                    .get_operators_reader()
                                    .into_iter()
                                    .collect::<std::result::Result<_, _>>()
                                    .map_err(err)?;
                                all &= matches!(ops[..], [Operator::RefNull { .. }, Operator::End]);
                            }
                            all
                        }
                        _ => false,
                    };
                    if !null_only {
                        count += 1;
                        kept.extend_from_slice(
                            &wasm[element.range.start as usize..element.range.end as usize],
                        );
                    }
                }
                let mut section = leb128(count);
                section.extend_from_slice(&kept);
                section
            }
            _ => body.to_vec(),
        };
        out.push(id);
        out.extend_from_slice(&leb128(body.len() as u32));
        out.extend_from_slice(&body);
    }
    Ok(out)
}

/// `n` as an unsigned LEB128, as WASM writes counts and sizes.
fn leb128(mut n: u32) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
}

#[cfg(test)]
mod tests {
    use super::{drop_null_elements, drop_stream_glue};

    /// A module with a function, a table, the element segments given and a
    /// custom section after them.
    fn module(elements: &[&[u8]]) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // type: () -> ()
        m.extend_from_slice(&[3, 2, 1, 0]); // one function of type 0
        m.extend_from_slice(&[4, 4, 1, 0x70, 0, 2]); // a funcref table of 2
        let body: Vec<u8> = elements.concat();
        m.extend_from_slice(&[9, body.len() as u8 + 1, elements.len() as u8]);
        m.extend_from_slice(&body);
        m.extend_from_slice(&[10, 4, 1, 2, 0, 0x0b]); // its empty body
        m.extend_from_slice(&[0, 4, 1, b'x', b'y', b'z']); // custom "x"
        m
    }

    /// Slot 0 holds function 0.
    const FUNCTION: &[u8] = &[0, 0x41, 0, 0x0b, 1, 0];
    /// Slot 1 holds `ref.null func`.
    const NULL: &[u8] = &[4, 0x41, 1, 0x0b, 1, 0xd0, 0x70, 0x0b];
    /// Slot 1 holds `ref.func 0`.
    const REF: &[u8] = &[4, 0x41, 1, 0x0b, 1, 0xd2, 0, 0x0b];

    #[test]
    fn null_only_element_segments_are_dropped() {
        assert_eq!(
            drop_null_elements(&module(&[FUNCTION, NULL])).unwrap(),
            module(&[FUNCTION])
        );
        assert_eq!(
            drop_null_elements(&module(&[NULL, FUNCTION, NULL])).unwrap(),
            module(&[FUNCTION])
        );
    }

    #[test]
    fn other_modules_are_copied_byte_for_byte() {
        for m in [module(&[FUNCTION]), module(&[FUNCTION, REF]), module(&[])] {
            assert_eq!(drop_null_elements(&m).unwrap(), m);
        }
        assert!(drop_null_elements(b"\0asm").is_err());
    }

    /// The shapes wasm-bindgen 0.2 writes for an exported class.
    const GLUE: &str = r#"import * as import1 from "./__wasm_split.js"

export class IntoUnderlyingSink {
    free() {
        wasm.__wbg_intounderlyingsink_free(ptr, 0);
    }
}
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;
function __wbg_get_imports() {
    return {};
}
const __wbindgen_enum_ReadableStreamType = ["bytes"];
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));

function addToExternrefTable0(obj) {
}
"#;

    #[test]
    fn stream_glue_is_dropped_and_the_rest_kept() {
        let js = drop_stream_glue(GLUE).unwrap();
        assert!(!js.contains("IntoUnderlying"), "{js}");
        assert!(!js.contains("ReadableStreamType"), "{js}");
        assert!(js.contains("import * as import1"), "{js}");
        assert!(
            js.contains("function __wbg_get_imports() {\n    return {};\n}"),
            "{js}"
        );
        assert!(js.contains("function addToExternrefTable0(obj) {"), "{js}");
    }

    #[test]
    fn glue_of_another_shape_is_an_error() {
        let odd = "const x = new IntoUnderlyingSource();\n";
        assert!(drop_stream_glue(odd).is_err());
    }
}
