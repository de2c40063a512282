//! What the demo's parts share: numbered steps on the terminal, and a
//! scan of the data directory for what must never be there in clear.

/// Numbered progress lines, so a person watching sees where it is.
pub(crate) struct Steps {
    pub(crate) n: u32,
}

impl Steps {
    pub(crate) fn step(&mut self, what: &str) {
        self.n += 1;
        say!("[{}] {what}", self.n);
    }

    pub(crate) fn ok(&self, detail: impl std::fmt::Display) {
        say!("    ok: {detail}");
    }
}

/// Every file under `dir` that contains `needle`.
pub(crate) fn scan_for(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
            {
                hits.push(path.display().to_string());
            }
        }
    }
    hits
}
