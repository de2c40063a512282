import Foundation
import ImageIO
import UniformTypeIdentifiers

/// Writes a camera photo where the core asked for it (`PendingAttachment.capturePath`).
///
/// The core reads JPEG and PNG. iPhones shoot HEIC by default, so anything
/// else ImageIO can read (HEIC, HEIF, TIFF, …) is converted to a JPEG first,
/// at high quality: the core re-encodes it anyway, scaled to 1600 px, and a
/// second lossy pass at low quality would show. The orientation is kept as a
/// tag, not applied: the core turns the image upright on its small copy,
/// which is cheaper than rotating 12 MP here. Other metadata (GPS) may
/// travel along; the core drops all of it and deletes this file after ingest.
public enum CaptureWriter {
    /// Why a capture could not be written.
    public enum Failure: Error, Equatable {
        /// ImageIO cannot read the data as an image.
        case unreadable
        /// The JPEG could not be written (a full disk, a bad path).
        case notWritten
    }

    /// Writes `data` (JPEG, PNG, HEIC or any ImageIO format) to `capturePath`.
    /// JPEG and PNG are written as they are.
    public static func write(_ data: Data, to capturePath: String) throws {
        let url = URL(fileURLWithPath: capturePath)
        guard let source = CGImageSourceCreateWithData(data as CFData, nil),
              let type = CGImageSourceGetType(source) as String?,
              CGImageSourceGetCount(source) > 0
        else {
            throw Failure.unreadable
        }
        if type == UTType.jpeg.identifier || type == UTType.png.identifier {
            do {
                try data.write(to: url, options: .atomic)
            } catch {
                throw Failure.notWritten
            }
            return
        }
        guard let destination = CGImageDestinationCreateWithURL(
            url as CFURL, UTType.jpeg.identifier as CFString, 1, nil)
        else {
            throw Failure.notWritten
        }
        // Adding from the source carries its properties, the orientation among them.
        let options = [kCGImageDestinationLossyCompressionQuality: 0.95] as CFDictionary
        CGImageDestinationAddImageFromSource(destination, source, 0, options)
        guard CGImageDestinationFinalize(destination) else {
            try? FileManager.default.removeItem(at: url)
            throw Failure.notWritten
        }
    }
}
