package org.palmgov.app

import android.content.res.AssetManager

/**
 * The region's signed files as this build carries them: the profile, the
 * licence trust list, the service catalog snapshot and the pinned root keys
 * the profile is verified against. scripts/build-region checks them with
 * `palmgov region check` and stages them from regions/<code>/ into the
 * flavor's assets under `region/`; the build refuses stale copies.
 *
 * The bundled profile is the floor the core starts from: the core verifies
 * it against [rootKeys] and accepts only newer profiles after it.
 */
class RegionBundle(
    val profile: ByteArray,
    val trustList: ByteArray,
    val catalog: ByteArray,
    val rootKeys: ByteArray,
) {
    /** Each file's name in the assets and its size, for an about screen. */
    val sizes: List<Pair<String, Int>>
        get() = listOf(
            PROFILE to profile.size,
            TRUST_LIST to trustList.size,
            CATALOG to catalog.size,
            ROOT_KEYS to rootKeys.size,
        )

    companion object {
        const val PROFILE = "profile.json"
        const val TRUST_LIST = "trust-list.json"
        const val CATALOG = "catalog.json"
        const val ROOT_KEYS = "profile-root.json"

        /** Reads the four files; a build without them does not package, so a missing one is a bug. */
        fun load(assets: AssetManager): RegionBundle = RegionBundle(
            profile = read(assets, PROFILE),
            trustList = read(assets, TRUST_LIST),
            catalog = read(assets, CATALOG),
            rootKeys = read(assets, ROOT_KEYS),
        )

        private fun read(assets: AssetManager, name: String): ByteArray =
            assets.open("region/$name").use { it.readBytes() }
    }
}
