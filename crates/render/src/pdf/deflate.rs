//! Deflate, in chunks that can be joined: every glyph run shared by several files of a
//! packet is compressed once and its bytes reused in each file's zlib stream (see
//! `export_and_merge`). One compressor per thread and level, reset between
//! streams.

/// Part of a zlib stream: raw deflate blocks for `raw_len` bytes, compressed on their own
/// (no reference to earlier data) and ending on a byte boundary without the final-block
/// flag (a sync flush), so chunks can follow each other in any order.
pub(super) struct Chunk {
    deflated: Vec<u8>,
    raw_len: usize,
    adler: u32,
}

impl Chunk {
    pub(super) fn deflate(data: &[u8], level: u32) -> Chunk {
        use flate2::FlushCompress;
        with_deflater(level, |c| {
            let mut out = Vec::with_capacity(data.len() * 3 / 4 + 64);
            loop {
                let consumed = c.total_in() as usize;
                // Only fails on a misuse of the stream, which this loop does not do.
                let _ = c.compress_vec(&data[consumed..], &mut out, FlushCompress::Sync);
                if c.total_in() as usize == data.len() && out.len() < out.capacity() {
                    break;
                }
                out.reserve(out.capacity().max(64));
            }
            Chunk {
                deflated: out,
                raw_len: data.len(),
                adler: adler32(data),
            }
        })
    }

    /// A whole zlib stream of `data` at `level` (one chunk, with the thread's compressor).
    pub(super) fn zlib_of(data: &[u8], level: u32) -> Vec<u8> {
        Chunk::zlib(&[&Chunk::deflate(data, level)])
    }

    /// A zlib stream of `chunks`' data, in order.
    pub(super) fn zlib(chunks: &[&Chunk]) -> Vec<u8> {
        let len: usize = chunks.iter().map(|c| c.deflated.len()).sum();
        let mut out = Vec::with_capacity(len + 8);
        out.extend_from_slice(&[0x78, 0x9C]);
        let mut adler = 1u32;
        for c in chunks {
            out.extend_from_slice(&c.deflated);
            adler = adler32_combine(adler, c.adler, c.raw_len);
        }
        // An empty final block with fixed Huffman codes (BFINAL 1, BTYPE 01, EOB).
        out.extend_from_slice(&[0x03, 0x00]);
        out.extend_from_slice(&adler.to_be_bytes());
        out
    }
}

/// Runs `f` with this thread's raw deflate compressor for `level`, reset to a fresh state.
///
/// A compressor's state is a few hundred KB that its constructor allocates and zeroes;
/// a packet deflates about fifty streams, and creating a compressor for each took a
/// tenth of a packet's CPU time. Resetting one per thread gives the same bytes.
fn with_deflater<R>(level: u32, f: impl FnOnce(&mut flate2::Compress) -> R) -> R {
    use std::cell::RefCell;
    thread_local! {
        static DEFLATERS: RefCell<Vec<(u32, flate2::Compress)>> = const { RefCell::new(Vec::new()) };
    }
    DEFLATERS.with(|d| {
        let mut d = d.borrow_mut();
        let i = match d.iter().position(|(l, _)| *l == level) {
            Some(i) => {
                d[i].1.reset();
                i
            }
            None => {
                d.push((
                    level,
                    flate2::Compress::new(flate2::Compression::new(level), false),
                ));
                d.len() - 1
            }
        };
        f(&mut d[i].1)
    })
}

const ADLER_MOD: u32 = 65521;

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(5552) {
        for &x in block {
            a += u32::from(x);
            b += a;
        }
        a %= ADLER_MOD;
        b %= ADLER_MOD;
    }
    (b << 16) | a
}

/// The Adler-32 of `A ++ B` from those of `A` and `B` and the length of `B` (as zlib's
/// `adler32_combine`).
fn adler32_combine(a: u32, b: u32, len_b: usize) -> u32 {
    let m = u64::from(ADLER_MOD);
    let rem = len_b as u64 % m;
    let (a1, a2) = (u64::from(a & 0xffff), u64::from(a >> 16));
    let (b1, b2) = (u64::from(b & 0xffff), u64::from(b >> 16));
    let s1 = (a1 + b1 + m - 1) % m;
    let s2 = (rem * a1 % m + a2 + b2 + m - rem) % m;
    ((s2 << 16) | s1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_join_into_one_zlib_stream() {
        use std::io::Read;
        let a: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let b = b"second chunk, on its own".repeat(50);
        let c: Vec<u8> = Vec::new();
        let chunks = [
            Chunk::deflate(&a, 6),
            Chunk::deflate(&c, 1),
            Chunk::deflate(&b, 1),
        ];
        let joined = Chunk::zlib(&chunks.iter().collect::<Vec<_>>());
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(&joined[..])
            .read_to_end(&mut out)
            .unwrap();
        let want = [a.clone(), c, b.clone()].concat();
        assert!(out == want);
        assert_eq!(
            adler32(&want),
            adler32_combine(adler32(&a), adler32(&b), b.len())
        );
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }
}
