//! Sonobuoy tarballs, read in memory and never extracted.
//!
//! Members with absolute names, `..` components or link types are skipped
//! with a warning (nothing is ever written or followed), and inflation stops
//! at [`Limits::max_inflated_bytes`] so a gzip bomb cannot eat the machine.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::Ordering;

use super::{IngestError, Limits, Progress, ReleaseFiles, discover::is_junit_name};

/// Counts bytes through a reader and fails past a cap.
struct Capped<R> {
    inner: R,
    read: u64,
    cap: u64,
    hit: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read >= self.cap {
            self.hit = true;
            return Err(std::io::Error::other("inflated size limit reached"));
        }
        let room = (self.cap - self.read).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..room])?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Reports compressed bytes read to the progress counters.
struct Counting<'a, R> {
    inner: R,
    progress: &'a Progress,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.cancelled() {
            return Err(std::io::Error::other("cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.progress
            .bytes_done
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Read the result files of a tarball on disk. Returns the files and the
/// member name of the e2e log.
pub fn read_tarball(
    path: &Path,
    limits: &Limits,
    progress: &Progress,
) -> Result<(ReleaseFiles, Option<String>), IngestError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| IngestError::Io {
        path: name.clone(),
        source,
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > limits.max_file_bytes {
        return Err(IngestError::TooLarge {
            path: name,
            size,
            limit: limits.max_file_bytes,
        });
    }
    if size == 0 {
        return Err(IngestError::Empty { path: name });
    }
    let reader = Counting {
        inner: std::io::BufReader::new(file),
        progress,
    };
    read_tarball_from(reader, &name, limits)
}

/// Read a tarball (gzip-compressed or plain) from any reader.
/// `name` is used in messages.
pub fn read_tarball_from<R: Read>(
    reader: R,
    name: &str,
    limits: &Limits,
) -> Result<(ReleaseFiles, Option<String>), IngestError> {
    let mut reader = std::io::BufReader::new(reader);
    let head = {
        use std::io::BufRead;
        reader.fill_buf().map_err(|source| IngestError::Io {
            path: name.to_string(),
            source,
        })?
    };
    if head.is_empty() {
        return Err(IngestError::Empty {
            path: name.to_string(),
        });
    }
    let gz = head.starts_with(&[0x1f, 0x8b]);
    let inner: Box<dyn Read + '_> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(reader))
    } else {
        Box::new(reader)
    };
    let mut capped = Capped {
        inner,
        read: 0,
        cap: limits.max_inflated_bytes,
        hit: false,
    };
    let result = read_members(&mut capped, name, limits);
    if capped.hit {
        return Err(IngestError::Tarball {
            path: name.to_string(),
            message: format!(
                "inflates to more than {} bytes (max_inflated_bytes); stopped reading (a gzip bomb?)",
                limits.max_inflated_bytes
            ),
        });
    }
    result
}

fn read_members<R: Read>(
    reader: R,
    name: &str,
    limits: &Limits,
) -> Result<(ReleaseFiles, Option<String>), IngestError> {
    let tar_err = |what: &str, e: std::io::Error| IngestError::Tarball {
        path: name.to_string(),
        message: format!("{what}: {}", printable(&e.to_string())),
    };
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries()
        .map_err(|e| tar_err("not a readable tarball", e))?;
    let mut files = ReleaseFiles::default();
    let mut junit_any = Vec::new();
    let mut log_any: Option<(String, Vec<u8>)> = None;
    let mut log_member = None;
    let mut members = 0usize;
    for entry in entries {
        let mut entry = entry.map_err(|e| tar_err("corrupt tarball", e))?;
        members += 1;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let member = raw.trim_start_matches("./").to_string();
        let kind = entry.header().entry_type();
        let unsafe_name = member.starts_with('/')
            || member.split(['/', '\\']).any(|c| c == "..")
            || member.contains(':');
        if unsafe_name {
            files.warnings.push(format!(
                "{name}: member \"{}\" has an absolute or parent (..) path; skipped",
                short(&member)
            ));
            continue;
        }
        if kind.is_symlink() || kind.is_hard_link() {
            files.warnings.push(format!(
                "{name}: member \"{}\" is a link; links are never followed",
                short(&member)
            ));
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let base = member.rsplit('/').next().unwrap_or(&member).to_string();
        let wanted = is_junit_name(&base)
            || base == "e2e.log"
            || base == "PRODUCT.yaml"
            || member == "known-test-failures.md"
            || member == "serverversion.json"
            || member == "resources/cluster/serverversion.json";
        if !wanted {
            continue;
        }
        let size = entry.header().size().unwrap_or(0);
        if size > limits.max_file_bytes {
            return Err(IngestError::TooLarge {
                path: format!("{name}!{member}"),
                size,
                limit: limits.max_file_bytes,
            });
        }
        let mut bytes = super::buffers::take(size.min(64 * 1024 * 1024) as usize);
        (&mut entry)
            .take(limits.max_file_bytes)
            .read_to_end(&mut bytes)
            .map_err(|e| tar_err(&format!("cannot read member {}", short(&member)), e))?;
        let display = format!("{name}!{member}");
        let in_e2e = member.starts_with("plugins/e2e/");
        if is_junit_name(&base) {
            if in_e2e {
                files.junit.push((display, bytes));
            } else {
                junit_any.push((display, bytes));
            }
        } else if base == "e2e.log" {
            if in_e2e || log_any.is_none() {
                if in_e2e {
                    log_member = Some(member.clone());
                    files.log = Some((display, bytes));
                } else {
                    log_any = Some((member.clone(), bytes));
                }
            }
        } else if member == "known-test-failures.md" {
            files.known_failures = Some((member.clone(), bytes));
        } else if base == "PRODUCT.yaml" {
            files.product = Some((display, bytes));
        } else {
            files.server_version = Some((display, bytes));
        }
    }
    if members == 0 {
        return Err(IngestError::Tarball {
            path: name.to_string(),
            message: "the tarball holds no members".into(),
        });
    }
    if files.junit.is_empty() {
        files.junit = junit_any;
    }
    if files.log.is_none()
        && let Some((member, bytes)) = log_any
    {
        files.log = Some((format!("{name}!{member}"), bytes));
        log_member = Some(member);
    }
    if files.junit.is_empty() {
        return Err(IngestError::NoResults {
            path: name.to_string(),
        });
    }
    files.junit.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((files, log_member))
}

fn short(s: &str) -> String {
    if s.chars().count() > 100 {
        let cut: String = s.chars().take(100).collect();
        format!("{cut}…")
    } else {
        s.to_string()
    }
}

/// Read one member of a tarball (for log excerpts), with the same caps.
pub fn read_member(path: &Path, member: &str, limits: &Limits) -> Result<Vec<u8>, IngestError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| IngestError::Io {
        path: name.clone(),
        source,
    })?;
    let mut reader = std::io::BufReader::new(file);
    let head = {
        use std::io::BufRead;
        reader.fill_buf().map_err(|source| IngestError::Io {
            path: name.clone(),
            source,
        })?
    };
    let gz = head.starts_with(&[0x1f, 0x8b]);
    let inner: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(reader))
    } else {
        Box::new(reader)
    };
    let capped = Capped {
        inner,
        read: 0,
        cap: limits.max_inflated_bytes,
        hit: false,
    };
    let mut archive = tar::Archive::new(capped);
    let entries = archive.entries().map_err(|e| IngestError::Tarball {
        path: name.clone(),
        message: e.to_string(),
    })?;
    for entry in entries {
        let mut entry = entry.map_err(|e| IngestError::Tarball {
            path: name.clone(),
            message: e.to_string(),
        })?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if raw.trim_start_matches("./") == member && entry.header().entry_type().is_file() {
            let mut bytes = Vec::new();
            (&mut entry)
                .take(limits.max_file_bytes)
                .read_to_end(&mut bytes)
                .map_err(|e| IngestError::Tarball {
                    path: format!("{name}!{member}"),
                    message: e.to_string(),
                })?;
            return Ok(bytes);
        }
    }
    Err(IngestError::Tarball {
        path: name,
        message: format!("member {member} not found"),
    })
}

/// A message from the tar reader without the raw bytes it may quote from
/// a damaged archive: cut before the first character that is not printable
/// text, and at most 160 characters.
fn printable(message: &str) -> String {
    let clean: String = message
        .chars()
        .take_while(|c| !c.is_control() && *c != char::REPLACEMENT_CHARACTER)
        .take(160)
        .collect();
    let cut = clean.len() < message.trim_end().len();
    let clean = clean.trim_end().trim_end_matches(':').trim_end();
    if cut {
        format!("{clean} (the rest is not text)")
    } else {
        clean.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_no_raw_bytes() {
        let raw =
            "numeric field did not have utf-8 text: O\u{fffd}\u{fffd}!\u{1} when getting cksum";
        assert_eq!(
            printable(raw),
            "numeric field did not have utf-8 text: O (the rest is not text)"
        );
        assert_eq!(
            printable("failed to read entire block"),
            "failed to read entire block"
        );
    }
}
