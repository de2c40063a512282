//! Pixel buffers that are cleared when dropped, at memory speed.
//!
//! `zeroize` clears byte by byte with volatile writes, which the compiler
//! may not merge or vectorize. That is the right tool for keys and tokens.
//! A 12 MP photo, however, passes through about 25 MB of pixel buffers, and
//! clearing them that way took an eighth of the ingest (`perf` on
//! `palmgov bench ingest`). Here one `memset` clears the buffer, and an
//! empty `asm!` block then takes its address as an input that may read
//! memory. The compiler cannot see through the block, so it cannot treat the
//! `memset` as a dead store before the free. BoringSSL's `OPENSSL_cleanse`
//! is built the same way.

use std::ops::{Deref, DerefMut};

/// A byte buffer (pixels, or the JPEG made from them) that is cleared,
/// spare capacity included, when dropped.
pub struct Wiped(Vec<u8>);

impl Wiped {
    /// An empty buffer that can take `capacity` bytes without moving.
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Vec::with_capacity(capacity))
    }

    /// A buffer of `len` zero bytes (`calloc`: fresh pages are not written twice).
    pub fn zeroed(len: usize) -> Self {
        Self(vec![0; len])
    }
}

impl From<Vec<u8>> for Wiped {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl Deref for Wiped {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Wiped {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        let (ptr, capacity) = (self.0.as_mut_ptr(), self.0.capacity());
        // SAFETY: the whole allocation is ours and is written as plain
        // bytes; zero is a valid `u8`.
        unsafe { std::ptr::write_bytes(ptr, 0, capacity) };
        // SAFETY: an empty block; it touches no register or memory. Without
        // `nomem` the compiler must assume it reads what `ptr` points to.
        unsafe { std::arch::asm!("/* {0} */", in(reg) ptr, options(nostack, preserves_flags)) };
    }
}

/// The encoder writes here. A write that does not fit moves the bytes to a
/// buffer twice as large and clears the old one, where `Vec` would free it
/// as it is. The first buffer can then be small, and there is no need to
/// reserve the worst case (a JPEG as large as its pixels), which would be
/// megabytes of pages to touch and clear for a photo of 300 KB.
impl std::io::Write for Wiped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let needed = self.0.len() + bytes.len();
        if needed > self.0.capacity() {
            let mut larger = Vec::with_capacity(needed.max(self.0.capacity() * 2));
            larger.extend_from_slice(&self.0);
            drop(Wiped(std::mem::replace(&mut self.0, larger)));
        }
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn writes_past_the_capacity_keep_every_byte() {
        let mut out = Wiped::with_capacity(4);
        for chunk in [&b"abc"[..], b"defgh", b"", b"ijklmnopqrstuvwxyz"] {
            out.write_all(chunk).unwrap();
        }
        assert_eq!(&out[..], b"abcdefghijklmnopqrstuvwxyz");
        assert!(out.capacity() >= 26);
    }
}
