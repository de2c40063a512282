package org.palmgov.app

import android.content.res.AssetManager

/**
 * The region's signed files as this build carries them: the profile, the
 * licence trust list, the pinned root keys the profile is verified against,
 * and the service catalog (`catalog/manifest.json`, which the profile pins,
 * and the chunks it lists, `catalog/chunks/<sha256>.zlib`; docs/catalog.md).
 * scripts/build-region checks them with `palmgov region check` and stages
 * them from regions/<code>/ into the flavor's assets under `region/`; the
 * build refuses stale copies.
 *
 * The bundled profile is the floor the core starts from: the core verifies
 * it against [rootKeys] and accepts only newer profiles after it. The
 * bundled catalog is for a first start without signal: hand it to
 * `ServicesClient.installBundled(catalogManifest, catalogChunks)`, which
 * checks it against the profile's pin as a fetched one.
 */
class RegionBundle(
    val profile: ByteArray,
    val trustList: ByteArray,
    val rootKeys: ByteArray,
    val catalogManifest: ByteArray,
    /** The files of `catalog/chunks/`, in no particular order. */
    val catalogChunks: List<ByteArray>,
) {
    /** Each file's name in the assets and its size (the chunks together), for an about screen. */
    val sizes: List<Pair<String, Int>>
        get() = listOf(
            PROFILE to profile.size,
            TRUST_LIST to trustList.size,
            ROOT_KEYS to rootKeys.size,
            CATALOG_MANIFEST to catalogManifest.size,
            "$CATALOG_CHUNKS/ (${catalogChunks.size})" to catalogChunks.sumOf { it.size },
        )

    companion object {
        const val PROFILE = "profile.json"
        const val TRUST_LIST = "trust-list.json"
        const val ROOT_KEYS = "profile-root.json"
        const val CATALOG_MANIFEST = "catalog/manifest.json"
        const val CATALOG_CHUNKS = "catalog/chunks"

        /** Reads the files; a build without them does not package, so a missing one is a bug. */
        fun load(assets: AssetManager): RegionBundle = RegionBundle(
            profile = read(assets, PROFILE),
            trustList = read(assets, TRUST_LIST),
            rootKeys = read(assets, ROOT_KEYS),
            catalogManifest = read(assets, CATALOG_MANIFEST),
            catalogChunks = assets.list("region/$CATALOG_CHUNKS").orEmpty()
                .sorted()
                .map { read(assets, "$CATALOG_CHUNKS/$it") },
        )

        private fun read(assets: AssetManager, name: String): ByteArray =
            assets.open("region/$name").use { it.readBytes() }
    }
}
