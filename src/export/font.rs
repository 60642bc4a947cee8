//! Horizontal metrics of the chart font, read straight from its TrueType
//! tables (`head`, `hhea`, `OS/2`, `hmtx`, `cmap` format 4).
//!
//! Why: plotters 0.3.7 with `ab_glyph` draws each glyph at the pen position
//! but drops the glyph's left side bearing and truncates the pen to whole
//! pixels, so narrow glyphs drift: "419" reads "41 9" and "v1.18" reads
//! "v1 .18" at chart sizes. The bitmap charts therefore place every
//! character themselves (pen plus bearing, from these tables) and let
//! plotters rasterise one glyph at a time. SVG text is laid out by the
//! viewer and needs none of this.

use std::sync::OnceLock;

/// The parsed tables: offsets into the font bytes.
#[derive(Debug)]
pub(crate) struct Metrics {
    data: &'static [u8],
    cmap4: usize,
    hmtx: usize,
    hmtx_len: usize,
    long_metrics: usize,
    /// Ascender minus descender, in font units: ab_glyph maps a font size
    /// in pixels to this height.
    height_units: f64,
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at + 2)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

fn i16_at(data: &[u8], at: usize) -> Option<i16> {
    u16_at(data, at).map(|v| v as i16)
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// (offset, length) of a table.
fn table(data: &[u8], tag: &[u8; 4]) -> Option<(usize, usize)> {
    let count = usize::from(u16_at(data, 4)?);
    (0..count).find_map(|i| {
        let rec = 12 + 16 * i;
        (data.get(rec..rec + 4)? == tag).then_some(())?;
        Some((
            u32_at(data, rec + 8)? as usize,
            u32_at(data, rec + 12)? as usize,
        ))
    })
}

impl Metrics {
    /// Parse the tables, or `None` when the font lacks what is needed.
    pub(crate) fn parse(data: &'static [u8]) -> Option<Metrics> {
        let (hhea, _) = table(data, b"hhea")?;
        let (hmtx, hmtx_len) = table(data, b"hmtx")?;
        let (cmap, _) = table(data, b"cmap")?;
        let long_metrics = usize::from(u16_at(data, hhea + 34)?);
        let mut ascender = f64::from(i16_at(data, hhea + 4)?);
        let mut descender = f64::from(i16_at(data, hhea + 6)?);
        // The same choice ttf-parser (under ab_glyph) makes.
        if let Some((os2, _)) = table(data, b"OS/2")
            && u16_at(data, os2 + 62).is_some_and(|sel| sel & 0x80 != 0)
        {
            ascender = f64::from(i16_at(data, os2 + 68)?);
            descender = f64::from(i16_at(data, os2 + 70)?);
        }
        let height_units = ascender - descender;
        let subtables = usize::from(u16_at(data, cmap + 2)?);
        let cmap4 = (0..subtables).find_map(|i| {
            let rec = cmap + 4 + 8 * i;
            let platform = u16_at(data, rec)?;
            let encoding = u16_at(data, rec + 2)?;
            let offset = cmap + u32_at(data, rec + 4)? as usize;
            let unicode = platform == 0 || (platform == 3 && encoding == 1);
            (unicode && u16_at(data, offset)? == 4).then_some(offset)
        })?;
        (height_units > 0.0 && long_metrics > 0).then_some(Metrics {
            data,
            cmap4,
            hmtx,
            hmtx_len,
            long_metrics,
            height_units,
        })
    }

    /// The glyph of a character (0, the missing-glyph box, when absent).
    fn glyph(&self, c: char) -> u16 {
        self.glyph_checked(c).unwrap_or(0)
    }

    fn glyph_checked(&self, c: char) -> Option<u16> {
        let code = u16::try_from(u32::from(c)).ok()?;
        let d = self.data;
        let t = self.cmap4;
        let segments = usize::from(u16_at(d, t + 6)? / 2);
        let ends = t + 14;
        let starts = ends + 2 * segments + 2;
        let deltas = starts + 2 * segments;
        let range_offsets = deltas + 2 * segments;
        for i in 0..segments {
            if u16_at(d, ends + 2 * i)? < code {
                continue;
            }
            let start = u16_at(d, starts + 2 * i)?;
            if start > code {
                return Some(0);
            }
            let delta = u16_at(d, deltas + 2 * i)?;
            let range_at = range_offsets + 2 * i;
            let range = usize::from(u16_at(d, range_at)?);
            if range == 0 {
                return Some(code.wrapping_add(delta));
            }
            let at = range_at + range + 2 * usize::from(code - start);
            let g = u16_at(d, at)?;
            return Some(if g == 0 { 0 } else { g.wrapping_add(delta) });
        }
        Some(0)
    }

    /// (advance, left side bearing) of a character, in font units.
    pub(crate) fn h_metrics(&self, c: char) -> (f64, f64) {
        let g = usize::from(self.glyph(c));
        let d = self.data;
        let last = self.long_metrics - 1;
        let advance = u16_at(d, self.hmtx + 4 * g.min(last)).unwrap_or(0);
        let lsb_at = if g <= last {
            self.hmtx + 4 * g + 2
        } else {
            self.hmtx + 4 * self.long_metrics + 2 * (g - self.long_metrics)
        };
        let lsb = if lsb_at + 2 <= self.hmtx + self.hmtx_len {
            i16_at(d, lsb_at).unwrap_or(0)
        } else {
            0
        };
        (f64::from(advance), f64::from(lsb))
    }

    /// Pixels per font unit at a font size in pixels (as plotters passes it
    /// to ab_glyph).
    pub(crate) fn scale(&self, size_px: f64) -> f64 {
        size_px / self.height_units
    }

    /// Width of a text in pixels: the sum of the advances.
    pub(crate) fn width(&self, text: &str, size_px: f64) -> f64 {
        let units: f64 = text.chars().map(|c| self.h_metrics(c).0).sum();
        units * self.scale(size_px)
    }
}

/// The metrics of the chart font, parsed once.
pub(crate) fn chart_font() -> Option<&'static Metrics> {
    static METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
    METRICS
        .get_or_init(|| Metrics::parse(epaint_default_fonts::UBUNTU_LIGHT))
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ubuntu_light_parses_and_one_has_a_wide_bearing() {
        let m = chart_font().expect("metrics");
        let (adv_1, lsb_1) = m.h_metrics('1');
        let (adv_4, lsb_4) = m.h_metrics('4');
        // Tabular digits share an advance; '1' sits further right in it.
        assert_eq!(adv_1, adv_4);
        assert!(lsb_1 > lsb_4 + 20.0, "{lsb_1} {lsb_4}");
        assert!(m.glyph('a') != 0 && m.glyph('…') != 0);
        assert_eq!(m.glyph('\u{10FFFF}'), 0);
        // 60 px Ubuntu Light: advance of '1' is about 30 px.
        let px = adv_1 * m.scale(60.0);
        assert!((px - 30.2).abs() < 0.5, "{px}");
    }
}
