//! Files built into the binary, written out for a run to a fresh temporary directory that is
//! removed when the run ends: the features, the sandbox's configuration evidence.

use std::path::{Path, PathBuf};

/// A temporary directory of files, removed when dropped.
pub(crate) struct EmbeddedDir {
    path: PathBuf,
}

impl EmbeddedDir {
    /// Writes `files` (relative names, their text) under a fresh directory named for
    /// `purpose` and this process.
    pub(crate) fn write<'a, N: AsRef<Path>>(
        purpose: &str,
        files: impl IntoIterator<Item = (N, &'a str)>,
    ) -> std::io::Result<EmbeddedDir> {
        let path =
            std::env::temp_dir().join(format!("netconform-{purpose}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        let dir = EmbeddedDir { path };
        std::fs::create_dir_all(&dir.path)?;
        for (name, text) in files {
            let file = dir.path.join(name);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(file, text)?;
        }
        Ok(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for EmbeddedDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
