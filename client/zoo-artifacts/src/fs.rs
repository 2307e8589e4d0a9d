//! Opening files the client reads artifacts from, refusing anything that is not a regular
//! file. Scanning, hashing, sealing, storage and checkout all open files this way.

use crate::{FileError as Error, Result};
use rustix::fs::{FileType, Mode, OFlags};
use std::{fs::File, path::Path};

/// Open `path`, which must be a regular file. The type is checked before opening (opening a
/// fifo blocks, opening a device can have effects), and again on what was opened (`O_NONBLOCK`,
/// so a path swapped for a fifo meanwhile cannot block the open either).
pub fn open_regular(path: &Path) -> Result<File> {
	let not_regular = || Error::SourceNotRegular { file: path.to_owned() };
	let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
	if !meta.is_file() {
		return Err(not_regular());
	}
	let fd =
		rustix::fs::open(path, OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC, Mode::empty())
			.map_err(|e| Error::io(path, e.into()))?;
	let stat = rustix::fs::fstat(&fd).map_err(|e| Error::io(path, e.into()))?;
	if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
		return Err(not_regular());
	}
	Ok(File::from(fd))
}
