//! The bed's image, made without a registry: a Debian root filesystem with HAProxy and BIND,
//! made by mmdebstrap from the machine's own Debian mirror and suite (read from its apt
//! sources, so the image's C library matches the netconform binary mounted into it) and
//! imported into Docker (what `docker import` does, through bollard). Made once; an image
//! that exists is used as is.

use std::path::Path;
use std::process::Stdio;

use futures::StreamExt as _;
use testcontainers::bollard::query_parameters::CreateImageOptionsBuilder;
use testcontainers::bollard::{Docker, body_stream};
use tokio::io::{AsyncBufReadExt, AsyncReadExt as _, BufReader};

use crate::{TestbedError, docker};

/// The image every container of the bed runs. Change the tag when its content changes.
pub const IMAGE: &str = "netconform-testbed:bookworm-1";
/// What it holds beside Debian's essential packages.
pub const PACKAGES: [&str; 2] = ["haproxy", "bind9"];

/// A Debian mirror and the suite to take from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    pub uri: String,
    pub suite: String,
}

/// The main suite of a stanza's suites: `bookworm` of `bookworm bookworm-updates`.
fn main_suite<'a>(mut suites: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    suites.find(|s| !s.contains('-') && !s.contains('/'))
}

/// The first `deb` stanza of a deb822 `.sources` file that has a main suite.
pub fn mirror_in_sources(text: &str) -> Option<Mirror> {
    for stanza in text.split("\n\n") {
        let field = |name: &str| {
            stanza
                .lines()
                .filter(|l| !l.starts_with('#'))
                .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(':')))
                .map(str::trim)
        };
        if !field("Types").is_some_and(|t| t.split_whitespace().any(|t| t == "deb")) {
            continue;
        }
        if field("Enabled").is_some_and(|e| e.eq_ignore_ascii_case("no")) {
            continue;
        }
        let (Some(uris), Some(suites)) = (field("URIs"), field("Suites")) else {
            continue;
        };
        if let (Some(uri), Some(suite)) = (
            uris.split_whitespace().next(),
            main_suite(suites.split_whitespace()),
        ) {
            return Some(Mirror {
                uri: uri.to_owned(),
                suite: suite.to_owned(),
            });
        }
    }
    None
}

/// The first `deb URI SUITE ...` line of a one-line-style `sources.list` with a main suite.
pub fn mirror_in_list(text: &str) -> Option<Mirror> {
    text.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        if words.next() != Some("deb") {
            return None;
        }
        let mut uri = words.next()?;
        if uri.starts_with('[') {
            // Options: `deb [signed-by=...] URI SUITE`.
            while !uri.ends_with(']') {
                uri = words.next()?;
            }
            uri = words.next()?;
        }
        let suite = main_suite(std::iter::once(words.next()?))?;
        Some(Mirror {
            uri: uri.to_owned(),
            suite: suite.to_owned(),
        })
    })
}

/// The machine's Debian mirror, from `/etc/apt/sources.list.d/*.sources`, then
/// `/etc/apt/sources.list` and `/etc/apt/sources.list.d/*.list`.
pub fn find_mirror(apt_dir: &Path) -> Result<Mirror, TestbedError> {
    let dir = apt_dir.join("sources.list.d");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let found = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "sources"))
        .find_map(|p| mirror_in_sources(&read(p)))
        .or_else(|| mirror_in_list(&read(&apt_dir.join("sources.list"))))
        .or_else(|| {
            files
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "list"))
                .find_map(|p| mirror_in_list(&read(p)))
        });
    found.ok_or_else(|| TestbedError::Image(format!(
        "find a Debian mirror in {}: no `deb` source with a suite such as bookworm; the bed's image is made from the machine's Debian mirror",
        apt_dir.display()
    )))
}

/// Whether the image exists (Docker must answer).
pub async fn exists_in_docker() -> Result<bool, TestbedError> {
    exists(&docker::client().await?).await
}

pub(crate) async fn exists(docker: &Docker) -> Result<bool, TestbedError> {
    exists_named(docker, IMAGE).await
}

/// Whether the image `name` exists.
async fn exists_named(docker: &Docker, name: &str) -> Result<bool, TestbedError> {
    match docker.inspect_image(name).await {
        Ok(_) => Ok(true),
        Err(testcontainers::bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }) => Ok(false),
        Err(e) => Err(docker::failed(format!("look up the image {name}"), e)),
    }
}

/// Imports the root filesystem `tar` as `name`, streamed (it is some 170 MB).
async fn import(
    docker: &Docker,
    tar: &Path,
    name: &str,
    packages: &[&str],
) -> Result<(), TestbedError> {
    let what = || format!("import {} as {name}", tar.display());
    let file = tokio::fs::File::open(tar)
        .await
        .map_err(|e| docker::failed(what(), e))?;
    let chunks = futures::stream::unfold(file, |mut file| async move {
        let mut chunk = vec![0; 1 << 20];
        match file.read(&mut chunk).await {
            Ok(0) | Err(_) => None,
            Ok(n) => {
                chunk.truncate(n);
                Some((bytes::Bytes::from(chunk), file))
            }
        }
    });
    let (repository, tag) = name
        .split_once(':')
        .expect("the image is named repository:tag");
    let options = CreateImageOptionsBuilder::default()
        .from_src("-")
        .repo(repository)
        .tag(tag)
        .changes(vec![
            "CMD [\"/bin/bash\"]".to_owned(),
            format!("LABEL netconform.packages={}", packages.join(",")),
        ])
        .build();
    let mut progress = docker.create_image(Some(options), Some(body_stream(chunks)), None);
    while let Some(step) = progress.next().await {
        step.map_err(|e| docker::failed(what(), e))?;
    }
    if exists_named(docker, name).await? {
        Ok(())
    } else {
        Err(docker::failed(
            what(),
            "Docker took the file but has no such image after it",
        ))
    }
}

/// Makes the image (mmdebstrap, then `docker import`) in `work_dir`; every line mmdebstrap
/// prints goes to `on_line`.
pub async fn build(
    mirror: &Mirror,
    work_dir: &Path,
    on_line: impl FnMut(&str),
) -> Result<(), TestbedError> {
    build_named(IMAGE, &PACKAGES, mirror, work_dir, on_line).await
}

/// Makes the image `name` (repository:tag) holding Debian's essential packages and
/// `packages`, unless it exists; for other local images the tests need (the verifier
/// image's base, ci/Dockerfile). Returns whether it was made.
pub async fn ensure_named(
    name: &str,
    packages: &[&str],
    work_dir: &Path,
    on_line: impl FnMut(&str),
) -> Result<bool, TestbedError> {
    if exists_named(&docker::client().await?, name).await? {
        return Ok(false);
    }
    let mirror = find_mirror(Path::new("/etc/apt"))?;
    build_named(name, packages, &mirror, work_dir, on_line).await?;
    Ok(true)
}

async fn build_named(
    name: &str,
    packages: &[&str],
    mirror: &Mirror,
    work_dir: &Path,
    mut on_line: impl FnMut(&str),
) -> Result<(), TestbedError> {
    let image_err = |why: String| TestbedError::Image(why);
    let dir = work_dir.join(format!("netconform-image-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| image_err(format!("create {}: {e}", dir.display())))?;
    let tar = dir.join("rootfs.tar");
    let res = async {
        let mut child = tokio::process::Command::new("mmdebstrap")
            .arg("--variant=essential")
            .arg(format!("--include={}", packages.join(",")))
            .args([
                "--dpkgopt=path-exclude=/usr/share/doc/*",
                "--dpkgopt=path-exclude=/usr/share/man/*",
                "--dpkgopt=path-exclude=/usr/share/locale/*",
            ])
            .arg(&mirror.suite)
            .arg(&tar)
            .arg(&mirror.uri)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                image_err(format!(
                    "run mmdebstrap ({e}): install it with `apt-get install mmdebstrap` (cargo xtask images does)"
                ))
            })?;
        let mut tail = Vec::new();
        if let Some(stderr) = child.stderr.take() {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                on_line(&line);
                tail.push(line);
                if tail.len() > 20 {
                    tail.remove(0);
                }
            }
        }
        let status = child
            .wait()
            .await
            .map_err(|e| image_err(format!("wait for mmdebstrap: {e}")))?;
        if !status.success() {
            return Err(image_err(format!(
                "make the root filesystem: mmdebstrap {status} (as root, with {} {}):\n{}",
                mirror.uri,
                mirror.suite,
                tail.join("\n")
            )));
        }
        import(&docker::client().await?, &tar, name, packages).await
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mirror(uri: &str, suite: &str) -> Option<Mirror> {
        Some(Mirror {
            uri: uri.into(),
            suite: suite.into(),
        })
    }

    #[test]
    fn deb822_sources_give_the_first_main_suite() {
        let text = "Types: deb\n\
            # http://snapshot.debian.org/archive/debian/20250520T000000Z\n\
            URIs: http://mirror.example/debian\n\
            Suites: bookworm bookworm-updates\n\
            Components: main\n\
            \n\
            Types: deb\n\
            URIs: http://mirror.example/debian-security\n\
            Suites: bookworm-security\n";
        assert_eq!(
            mirror_in_sources(text),
            mirror("http://mirror.example/debian", "bookworm")
        );
        let security_only =
            "Types: deb\nURIs: http://m/debian-security\nSuites: bookworm-security\n";
        assert_eq!(mirror_in_sources(security_only), None);
        let source_only = "Types: deb-src\nURIs: http://m/debian\nSuites: trixie\n";
        assert_eq!(mirror_in_sources(source_only), None);
        let disabled = "Types: deb\nEnabled: no\nURIs: http://m/debian\nSuites: trixie\n";
        assert_eq!(mirror_in_sources(disabled), None);
    }

    #[test]
    fn one_line_sources_give_the_first_main_suite() {
        let text = "# comment\n\
            deb-src http://m/debian bookworm main\n\
            deb [signed-by=/usr/share/keyrings/k.gpg arch=amd64] http://m/debian bookworm main\n";
        assert_eq!(mirror_in_list(text), mirror("http://m/debian", "bookworm"));
        assert_eq!(
            mirror_in_list(
                "deb http://m/debian-security bookworm-security main\ndeb http://m/debian trixie main"
            ),
            mirror("http://m/debian", "trixie")
        );
        assert_eq!(mirror_in_list(""), None);
    }

    #[test]
    fn the_machines_sources_are_read_in_order() {
        let apt = std::env::temp_dir().join(format!("netconform-apt-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&apt);
        std::fs::create_dir_all(apt.join("sources.list.d")).unwrap();
        assert!(
            find_mirror(&apt)
                .unwrap_err()
                .to_string()
                .contains("no `deb` source")
        );
        std::fs::write(
            apt.join("sources.list"),
            "deb http://list/debian bookworm main\n",
        )
        .unwrap();
        assert_eq!(
            find_mirror(&apt).ok(),
            mirror("http://list/debian", "bookworm")
        );
        std::fs::write(
            apt.join("sources.list.d/debian.sources"),
            "Types: deb\nURIs: http://deb822/debian\nSuites: bookworm\n",
        )
        .unwrap();
        assert_eq!(
            find_mirror(&apt).ok(),
            mirror("http://deb822/debian", "bookworm")
        );
        std::fs::remove_dir_all(&apt).unwrap();
    }
}
