//! Re-assembling an sfnt (TrueType) font with added tables.

use std::collections::BTreeMap;

fn rd16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn rd32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(b))
    })
}

/// `font` with a `cmap` table and (when given) an `OS/2` table added or replaced; the
/// table directory sorted by tag and the checksums recomputed. `None` if `font` is
/// malformed.
pub fn with_tables(font: &[u8], cmap: Vec<u8>, os2: Option<Vec<u8>>) -> Option<Vec<u8>> {
    let version = rd32(font, 0)?;
    let count = usize::from(rd16(font, 4)?);
    let mut tables: BTreeMap<[u8; 4], Vec<u8>> = BTreeMap::new();
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let off = rd32(font, rec + 8)? as usize;
        let len = rd32(font, rec + 12)? as usize;
        tables.insert(tag, font.get(off..off.checked_add(len)?)?.to_vec());
    }
    tables.insert(*b"cmap", cmap);
    if let Some(os2) = os2 {
        tables.insert(*b"OS/2", os2);
    }
    let head = tables.get_mut(b"head")?;
    head.get_mut(8..12)?.fill(0);

    let n = tables.len() as u16;
    let mut pow = 1u16;
    let mut sel = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        sel += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&version.to_be_bytes());
    for v in [n, pow * 16, sel, n * 16 - pow * 16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = 0;
    for (tag, data) in &tables {
        if tag == b"head" {
            head_at = offset;
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for data in tables.values() {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out.get_mut(head_at + 8..head_at + 12)?
        .copy_from_slice(&adjust.to_be_bytes());
    Some(out)
}
