//! Uploaded files: deciding their type and making images safe to serve.
//!
//! Pupils upload images and attachments, which other pupils and teachers then open, so nothing
//! about an upload is taken on trust (SECURITY.md, "Markdown and uploads"):
//!
//! - **The type comes from the content**, never from the file name or the browser's
//!   `Content-Type`: [`detect`] reads magic numbers, and for zip-based office documents the entry
//!   names inside. Only an allowlist is accepted; SVG (scriptable), GIF, HTML, executables, plain
//!   zips and macro-carrying office documents are refused.
//! - **Images are decoded with explicit limits**: the header's dimensions are checked before any
//!   pixel buffer is allocated, so a "decompression bomb" (a few hundred bytes claiming
//!   100000×100000 pixels) is refused cheaply with [`MediaError::TooManyPixels`].
//! - **Images are re-encoded**, never stored as uploaded. That drops EXIF (GPS position, camera
//!   serial), XMP, comments, ICC profiles and anything smuggled after the image data (polyglots).
//!   The EXIF orientation is applied first so phone photos stay upright.
//!
//! Decoding is CPU-bound (up to a second for a large photo): call [`process_image`] from
//! `tokio::task::spawn_blocking`, which also turns a decoder panic into a `JoinError`.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

/// A file type we accept. Stored in the database through [`FileType::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Png,
    Jpeg,
    Webp,
    Pdf,
    Docx,
    Pptx,
    Odt,
    Odp,
}

impl FileType {
    const ALL: [FileType; 8] = [
        Self::Png,
        Self::Jpeg,
        Self::Webp,
        Self::Pdf,
        Self::Docx,
        Self::Pptx,
        Self::Odt,
        Self::Odp,
    ];

    pub fn is_image(self) -> bool {
        matches!(self, Self::Png | Self::Jpeg | Self::Webp)
    }

    /// The MIME type the file is served with (always together with `nosniff`).
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::Odt => ODT_MIME,
            Self::Odp => ODP_MIME,
        }
    }

    /// The file name extension used when the file is downloaded.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            other => other.as_str(),
        }
    }

    /// The value stored in the database column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpeg",
            Self::Webp => "webp",
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Pptx => "pptx",
            Self::Odt => "odt",
            Self::Odp => "odp",
        }
    }

    /// The inverse of [`FileType::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

const ODT_MIME: &str = "application/vnd.oasis.opendocument.text";
const ODP_MIME: &str = "application/vnd.oasis.opendocument.presentation";

/// Decides the type from the bytes alone (magic numbers; for zip-based formats, the entries inside).
pub fn detect(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileType::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        detect_zip(bytes)
    } else {
        None
    }
}

/// Office documents are zips. The zip must start with an entry (no self-extracting prefix) and
/// have a well-formed central directory, whose names are read without decompressing anything.
fn detect_zip(bytes: &[u8]) -> Option<FileType> {
    let names = zip_entry_names(bytes)?;
    let any = |test: fn(&[u8]) -> bool| names.iter().any(|n| test(n));
    // VBA (OOXML) and Basic/script libraries (ODF): documents that can run code are refused.
    if any(|n| {
        n.to_ascii_lowercase().ends_with(b"vbaproject.bin")
            || starts_with_ci(n, "basic/")
            || starts_with_ci(n, "scripts/")
    }) {
        return None;
    }
    // ODF: the first entry is an uncompressed `mimetype` whose content is the exact MIME type.
    if let Some(mime) = odf_mimetype(bytes) {
        if !any(|n| n == b"content.xml") {
            return None;
        }
        return match mime {
            m if m == ODT_MIME.as_bytes() => Some(FileType::Odt),
            m if m == ODP_MIME.as_bytes() => Some(FileType::Odp),
            _ => None,
        };
    }
    // OOXML: `[Content_Types].xml` plus the main part's folder (OPC names are case-insensitive).
    if !any(|n| n.eq_ignore_ascii_case(b"[Content_Types].xml")) {
        return None;
    }
    match (
        any(|n| starts_with_ci(n, "word/")),
        any(|n| starts_with_ci(n, "ppt/")),
    ) {
        (true, false) => Some(FileType::Docx),
        (false, true) => Some(FileType::Pptx),
        _ => None, // xlsx, plain OPC packages, or ambiguous
    }
}

fn starts_with_ci(name: &[u8], prefix: &str) -> bool {
    name.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?).into())
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?)).ok()
}

/// The content of a stored `mimetype` entry at offset 0, if there is one.
fn odf_mimetype(b: &[u8]) -> Option<&[u8]> {
    let method = u16_at(b, 8)?;
    let size = u32_at(b, 18)?;
    let name_len = u16_at(b, 26)?;
    let extra_len = u16_at(b, 28)?;
    if method != 0 || name_len != 8 || b.get(30..38)? != b"mimetype" {
        return None;
    }
    let start = 38 + extra_len;
    b.get(start..start + size)
}

/// Entry names from the central directory, located through the end-of-central-directory record
/// (22 bytes plus a comment of up to 64 KiB at the very end). Zip64 archives are not accepted.
fn zip_entry_names(b: &[u8]) -> Option<Vec<&[u8]>> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const CENTRAL: &[u8] = b"PK\x01\x02";
    let last = b.len().checked_sub(22)?;
    let first = last.saturating_sub(0xFFFF);
    // The real record is the one whose comment length reaches exactly the end of the file.
    let eocd = (first..=last)
        .rev()
        .find(|&i| &b[i..i + 4] == EOCD && u16_at(b, i + 20) == Some(b.len() - i - 22))?;
    let count = u16_at(b, eocd + 10)?;
    let cd_size = u32_at(b, eocd + 12)?;
    let mut at = u32_at(b, eocd + 16)?;
    if at.checked_add(cd_size)? > eocd {
        return None;
    }
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        if b.get(at..at + 4)? != CENTRAL {
            return None;
        }
        let name_len = u16_at(b, at + 28)?;
        let extra_len = u16_at(b, at + 30)?;
        let comment_len = u16_at(b, at + 32)?;
        names.push(b.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// The longest side of a stored image; larger images are scaled down.
pub const MAX_IMAGE_SIDE: u32 = 2000;
/// The longest side of a thumbnail.
pub const THUMB_SIDE: u32 = 320;
/// Largest accepted width or height in the file's header.
const MAX_DECODE_SIDE: u32 = 12_000;
/// Largest accepted pixel count (a 48-megapixel phone photo is 8000×6000).
const MAX_PIXELS: u64 = 48_000_000;
/// Largest decoded pixel buffer (and the decoders' own allocation limit).
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
const JPEG_QUALITY: u8 = 85;

/// An image after [`process_image`]: re-encoded, metadata-free, upright, at most
/// [`MAX_IMAGE_SIDE`], with a thumbnail of at most [`THUMB_SIDE`].
#[derive(Debug)]
pub struct ProcessedImage {
    pub bytes: Vec<u8>,
    pub file_type: FileType,
    pub width: u32,
    pub height: u32,
    pub thumb: Vec<u8>,
    pub thumb_type: FileType,
    pub thumb_width: u32,
    pub thumb_height: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MediaError {
    /// Unknown or refused type (SVG, GIF, HTML, executables, …), or not what it claims to be.
    #[error("this file type is not allowed")]
    NotAllowed,
    /// The file cannot be decoded.
    #[error("the image is damaged and cannot be read")]
    Broken,
    /// The image is too large (dimensions, pixel count or memory), e.g. a decompression bomb.
    #[error("the image has too many pixels")]
    TooManyPixels,
}

impl From<ImageError> for MediaError {
    fn from(e: ImageError) -> Self {
        match e {
            ImageError::Limits(_) => Self::TooManyPixels,
            _ => Self::Broken,
        }
    }
}

/// Decodes with explicit limits, applies the EXIF orientation, re-encodes (which drops EXIF/GPS
/// and any other metadata), resizes to at most [`MAX_IMAGE_SIDE`] on the longer side, and makes a
/// thumbnail of at most [`THUMB_SIDE`].
///
/// JPEG stays JPEG (quality 85), PNG stays PNG, WebP stays WebP (lossless: the only WebP encoder
/// the `image` crate has). The thumbnail is a JPEG, or a PNG when the image is transparent.
pub fn process_image(bytes: &[u8], file_type: FileType) -> Result<ProcessedImage, MediaError> {
    let format = match file_type {
        FileType::Png => ImageFormat::Png,
        FileType::Jpeg => ImageFormat::Jpeg,
        FileType::Webp => ImageFormat::WebP,
        _ => return Err(MediaError::NotAllowed),
    };
    if detect(bytes) != Some(file_type) {
        return Err(MediaError::NotAllowed);
    }
    let image = decode(bytes, format)?;

    let image = if image.width().max(image.height()) > MAX_IMAGE_SIDE {
        image.resize(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, FilterType::Lanczos3)
    } else {
        image
    };
    let (bytes, file_type) = match file_type {
        FileType::Jpeg => (encode_jpeg(&image)?, FileType::Jpeg),
        FileType::Webp => (encode_webp(&image)?, FileType::Webp),
        _ => (encode_png(&image)?, FileType::Png),
    };

    let thumb = if image.width().max(image.height()) > THUMB_SIDE {
        image.thumbnail(THUMB_SIDE, THUMB_SIDE)
    } else {
        image.clone()
    };
    let (thumb_bytes, thumb_type) = if thumb.color().has_alpha() {
        (encode_png(&thumb)?, FileType::Png)
    } else {
        (encode_jpeg(&thumb)?, FileType::Jpeg)
    };

    Ok(ProcessedImage {
        bytes,
        file_type,
        width: image.width(),
        height: image.height(),
        thumb: thumb_bytes,
        thumb_type,
        thumb_width: thumb.width(),
        thumb_height: thumb.height(),
    })
}

/// Reads the header (refusing oversized dimensions before allocating), then the pixels, then
/// turns the image upright and into 8-bit RGB(A) or grey, which every encoder accepts.
fn decode(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage, MediaError> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    // `into_decoder` parses only the header and checks the width/height limits there.
    let mut decoder = reader.into_decoder()?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS || decoder.total_bytes() > MAX_ALLOC {
        return Err(MediaError::TooManyPixels);
    }
    // A malformed EXIF block is ignored rather than refusing the photo.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    // An alpha channel that is opaque everywhere (common in screenshots) is dropped, so the
    // thumbnail can be a JPEG.
    let color = image.color();
    Ok(if color.has_alpha() {
        let rgba = image.into_rgba8();
        if rgba.pixels().all(|p| p.0[3] == u8::MAX) {
            DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba).into_rgb8())
        } else {
            DynamicImage::ImageRgba8(rgba)
        }
    } else if color.has_color() {
        DynamicImage::ImageRgb8(image.into_rgb8())
    } else {
        DynamicImage::ImageLuma8(image.into_luma8())
    })
}

fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    image.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))?;
    Ok(out)
}

fn encode_png(image: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Default, PngFilter::Adaptive);
    image.write_with_encoder(encoder)?;
    Ok(out)
}

/// The `image` crate's WebP encoder is lossless only (and writes no metadata).
fn encode_webp(image: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    image.write_with_encoder(WebPEncoder::new_lossless(&mut out))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};
    use std::time::{Duration, Instant};

    fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).expect("encode test image");
        out.into_inner()
    }

    fn gradient(w: u32, h: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }))
    }

    /// A zip whose entries are stored (uncompressed), as written by a minimal zip tool.
    fn stored_zip(entries: &[(&str, &[u8])], comment: &[u8]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, data) in entries {
            let offset = out.len() as u32;
            let crc = crc32fast::hash(data);
            let mut common = Vec::new();
            common.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, method, time, date
            common.extend_from_slice(&crc.to_le_bytes());
            common.extend_from_slice(&(data.len() as u32).to_le_bytes());
            common.extend_from_slice(&(data.len() as u32).to_le_bytes());
            common.extend_from_slice(&(name.len() as u16).to_le_bytes());
            common.extend_from_slice(&[0, 0]); // extra length
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&common);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02\x14\x00");
            central.extend_from_slice(&common);
            central.extend_from_slice(&[0; 10]); // comment length, disk, attributes
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&(comment.len() as u16).to_le_bytes());
        out.extend_from_slice(comment);
        out
    }

    fn ooxml(main: &str) -> Vec<u8> {
        let part = format!("{main}/document.xml");
        stored_zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("_rels/.rels", b"<Relationships/>"),
                (&part, b"<doc/>"),
            ],
            b"",
        )
    }

    fn odf(mime: &str) -> Vec<u8> {
        stored_zip(
            &[
                ("mimetype", mime.as_bytes()),
                ("content.xml", b"<office:document-content/>"),
                ("META-INF/manifest.xml", b"<manifest/>"),
            ],
            b"",
        )
    }

    #[test]
    fn detects_allowed_types_from_content() {
        let img = gradient(8, 8);
        assert_eq!(detect(&encode(&img, ImageFormat::Png)), Some(FileType::Png));
        assert_eq!(
            detect(&encode(&img, ImageFormat::Jpeg)),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            detect(&encode(&img, ImageFormat::WebP)),
            Some(FileType::Webp)
        );
        assert_eq!(
            detect(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
            Some(FileType::Pdf)
        );
        assert_eq!(detect(&ooxml("word")), Some(FileType::Docx));
        assert_eq!(detect(&ooxml("ppt")), Some(FileType::Pptx));
        assert_eq!(detect(&odf(ODT_MIME)), Some(FileType::Odt));
        assert_eq!(detect(&odf(ODP_MIME)), Some(FileType::Odp));
        // A zip comment after the central directory does not hide it.
        let commented = stored_zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("word/document.xml", b"<w/>"),
            ],
            b"made by PK\x05\x06 tools",
        );
        assert_eq!(detect(&commented), Some(FileType::Docx));
    }

    #[test]
    fn refuses_everything_else() {
        let refused: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            (
                "gif",
                b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04".to_vec(),
            ),
            (
                "svg",
                br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#
                    .to_vec(),
            ),
            (
                "xml svg",
                b"<?xml version=\"1.0\"?>\n<svg onload=\"alert(1)\"/>".to_vec(),
            ),
            (
                "html",
                b"<!DOCTYPE html><html><script>alert(1)</script>".to_vec(),
            ),
            (
                "exe",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec(),
            ),
            ("text", b"just some notes\n".to_vec()),
            ("plain zip", stored_zip(&[("notes.txt", b"hi")], b"")),
            ("xlsx", ooxml("xl")),
            (
                "odf template",
                odf("application/vnd.oasis.opendocument.text-template"),
            ),
            (
                "odf spreadsheet",
                odf("application/vnd.oasis.opendocument.spreadsheet"),
            ),
            (
                "self-extracting",
                [b"MZ\x90\x00".as_slice(), &ooxml("word")].concat(),
            ),
            ("truncated zip", ooxml("word")[..60].to_vec()),
            ("riff wave", b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec()),
        ];
        for (what, bytes) in refused {
            assert_eq!(detect(&bytes), None, "{what}");
        }
        let docm = stored_zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("word/document.xml", b"<w/>"),
                ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),
            ],
            b"",
        );
        assert_eq!(detect(&docm), None, "macro-enabled document");
        let odt_basic = stored_zip(
            &[
                ("mimetype", ODT_MIME.as_bytes()),
                ("content.xml", b"<c/>"),
                ("Basic/Standard/Module1.xml", b"<script/>"),
            ],
            b"",
        );
        assert_eq!(detect(&odt_basic), None, "odt with Basic macros");
    }

    #[test]
    fn file_type_names_round_trip() {
        for t in FileType::ALL {
            assert_eq!(FileType::parse(t.as_str()), Some(t));
            assert!(!t.content_type().is_empty() && !t.extension().is_empty());
        }
        assert_eq!(FileType::parse("svg"), None);
        assert_eq!(FileType::Jpeg.extension(), "jpg");
        assert!(FileType::Webp.is_image() && !FileType::Pdf.is_image());
    }

    fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(kind);
        hasher.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&hasher.finalize().to_be_bytes());
    }

    /// A valid PNG of a few dozen bytes whose header claims `w`×`h` RGB pixels.
    fn bomb_png(w: u32, h: u32) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
        png_chunk(&mut out, b"IHDR", &ihdr);
        // zlib stream: one stored block holding a single filter byte.
        png_chunk(
            &mut out,
            b"IDAT",
            &[
                0x78, 0x01, 0x01, 0x01, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x01, 0x00, 0x01,
            ],
        );
        png_chunk(&mut out, b"IEND", &[]);
        out
    }

    #[test]
    fn decompression_bombs_are_refused_before_decoding() {
        // Over the side limit, within the side limit but over the pixel count, and one side huge.
        for (w, h) in [
            (50_000, 50_000),
            (100_000, 100_000),
            (10_000, 10_000),
            (20_000, 1),
        ] {
            let bytes = bomb_png(w, h);
            assert!(bytes.len() < 100);
            assert_eq!(detect(&bytes), Some(FileType::Png));
            let start = Instant::now();
            let result = process_image(&bytes, FileType::Png);
            assert_eq!(result.err(), Some(MediaError::TooManyPixels), "{w}x{h}");
            assert!(
                start.elapsed() < Duration::from_secs(1),
                "{w}x{h} took too long"
            );
        }
    }

    #[test]
    fn broken_and_mislabelled_images_are_refused() {
        let png = encode(&gradient(100, 100), ImageFormat::Png);
        assert_eq!(
            process_image(&png[..png.len() / 2], FileType::Png).err(),
            Some(MediaError::Broken)
        );
        let mut garbage = b"\x89PNG\r\n\x1a\n".to_vec();
        garbage.extend_from_slice(&[0x55; 200]);
        assert_eq!(
            process_image(&garbage, FileType::Png).err(),
            Some(MediaError::Broken)
        );
        let jpeg = encode(&gradient(100, 100), ImageFormat::Jpeg);
        assert_eq!(
            process_image(&jpeg[..300], FileType::Jpeg).err(),
            Some(MediaError::Broken)
        );
        assert_eq!(
            process_image(&png, FileType::Jpeg).err(),
            Some(MediaError::NotAllowed)
        );
        assert_eq!(
            process_image(b"%PDF-1.4", FileType::Pdf).err(),
            Some(MediaError::NotAllowed)
        );
    }

    /// The APP1 segment a phone writes: orientation 6 (rotate 90° clockwise) and a GPS position.
    fn exif_app1() -> Vec<u8> {
        let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
        tiff.extend_from_slice(&[0, 2]); // IFD0: two entries
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
        tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]); // GPS IFD at 38
        tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
        tiff.extend_from_slice(&[0, 1]); // GPS IFD: one entry
        tiff.extend_from_slice(&[0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]); // GPSLatitudeRef "N"
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        let mut app1 = vec![0xFF, 0xE1];
        app1.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
        app1.extend_from_slice(b"Exif\0\0");
        app1.extend_from_slice(&tiff);
        app1
    }

    /// The marker segments of a JPEG up to the start of the scan.
    fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
        let (mut markers, mut at) = (Vec::new(), 2);
        while at + 4 <= bytes.len() && bytes[at] == 0xFF {
            markers.push(bytes[at + 1]);
            if bytes[at + 1] == 0xDA {
                break;
            }
            at += 2 + usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        }
        markers
    }

    #[test]
    fn exif_is_applied_and_stripped() {
        // Left half red, right half blue; after a clockwise quarter turn red is on top.
        let img = DynamicImage::ImageRgb8(RgbImage::from_fn(40, 20, |x, _| {
            if x < 20 {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            }
        }));
        let plain = encode(&img, ImageFormat::Jpeg);
        let tagged = [&plain[..2], &exif_app1(), &plain[2..]].concat();
        assert!(jpeg_markers(&tagged).contains(&0xE1));
        assert_eq!(detect(&tagged), Some(FileType::Jpeg));

        let out = process_image(&tagged, FileType::Jpeg).expect("process photo");
        assert_eq!(
            (out.file_type, out.width, out.height),
            (FileType::Jpeg, 20, 40)
        );
        assert_eq!(
            (out.thumb_type, out.thumb_width, out.thumb_height),
            (FileType::Jpeg, 20, 40)
        );
        for bytes in [&out.bytes, &out.thumb] {
            assert!(!jpeg_markers(bytes).contains(&0xE1), "APP1 left in output");
            assert!(
                !bytes.windows(4).any(|w| w == b"Exif"),
                "Exif left in output"
            );
        }
        let decoded = image::load_from_memory(&out.bytes)
            .expect("decode output")
            .to_rgb8();
        assert_eq!(decoded.dimensions(), (20, 40));
        let (top, bottom) = (decoded.get_pixel(10, 5), decoded.get_pixel(10, 35));
        assert!(top[0] > 200 && top[2] < 60, "top should be red: {top:?}");
        assert!(
            bottom[2] > 200 && bottom[0] < 60,
            "bottom should be blue: {bottom:?}"
        );
    }

    #[test]
    fn large_images_are_scaled_down_with_a_thumbnail() {
        let png = encode(&gradient(3000, 1000), ImageFormat::Png);
        let out = process_image(&png, FileType::Png).expect("process large image");
        assert_eq!(
            (out.file_type, out.width, out.height),
            (FileType::Png, 2000, 667)
        );
        assert_eq!(
            (out.thumb_type, out.thumb_width, out.thumb_height),
            (FileType::Jpeg, 320, 107)
        );
        let main = image::load_from_memory(&out.bytes).expect("decode main");
        assert_eq!((main.width(), main.height()), (2000, 667));
        let thumb = image::load_from_memory(&out.thumb).expect("decode thumb");
        assert_eq!((thumb.width(), thumb.height()), (320, 107));
    }

    #[test]
    fn small_images_keep_their_size_and_format() {
        let webp = encode(&gradient(64, 48), ImageFormat::WebP);
        let out = process_image(&webp, FileType::Webp).expect("process webp");
        assert_eq!(
            (out.file_type, out.width, out.height),
            (FileType::Webp, 64, 48)
        );
        assert_eq!(detect(&out.bytes), Some(FileType::Webp));
        assert_eq!((out.thumb_width, out.thumb_height), (64, 48));
        let jpeg = encode(&gradient(64, 48), ImageFormat::Jpeg);
        let out = process_image(&jpeg, FileType::Jpeg).expect("process jpeg");
        assert_eq!(
            (out.file_type, out.width, out.height),
            (FileType::Jpeg, 64, 48)
        );
    }

    #[test]
    fn transparency_keeps_png_thumbnails() {
        let transparent = DynamicImage::ImageRgba8(RgbaImage::from_fn(400, 200, |x, _| {
            Rgba([0, 128, 255, if x < 200 { 0 } else { 255 }])
        }));
        let out = process_image(&encode(&transparent, ImageFormat::Png), FileType::Png)
            .expect("process transparent png");
        assert_eq!(
            (out.file_type, out.thumb_type),
            (FileType::Png, FileType::Png)
        );
        assert_eq!((out.thumb_width, out.thumb_height), (320, 160));
        let thumb = image::load_from_memory(&out.thumb).expect("decode thumb");
        assert!(thumb.color().has_alpha());

        // A screenshot saved as RGBA but fully opaque gets a JPEG thumbnail.
        let opaque =
            DynamicImage::ImageRgba8(RgbaImage::from_pixel(400, 200, Rgba([9, 9, 9, 255])));
        let out = process_image(&encode(&opaque, ImageFormat::Png), FileType::Png)
            .expect("process opaque png");
        assert_eq!(
            (out.file_type, out.thumb_type),
            (FileType::Png, FileType::Jpeg)
        );
    }
}
