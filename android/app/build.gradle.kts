// The palmgov app: one product flavor per region folder. Each
// regions/<code>/build.json becomes the flavor "region<code>" with its
// application id, app name in each of its languages, locales, sign-in
// redirect (custom scheme or App Link), icons, version and signing key.
// The list is read from the folder when Gradle configures the build, so a
// region is added by adding its folder (regions/README.md); nothing here
// names a region.
//
// The region's signed files (profile, licence trust list, pinned root
// keys) and its service catalog (the catalog/ folder: manifest.json, which
// the profile pins, and chunks/<sha256>.zlib) are not read from regions/
// directly: scripts/build-region verifies them with `palmgov region check`
// and then stages them in build/region-assets/<code>/region/ (the catalog
// as region/catalog/), and a flavor whose staged copies are missing, differ
// from regions/<code>/ or include a catalog file it has not does not package.
//
// Build one region: scripts/build-region <code> android, which runs
// `gradle :app:assembleRegion<code>Release` after the checks. Linux CI
// cannot fetch the Android Gradle plugin; it parses this script
// (tools/syntax-check) and checks the regions with regions/builds.py.
import groovy.json.JsonSlurper

plugins {
    // The root project (the library) puts the plugin artifacts on the
    // classpath with their versions; the app uses the same ones.
    id("com.android.application")
    kotlin("android")
}

/** One region's build settings: regions/<code>/build.json (regions/README.md). */
class Region(val dir: File, json: Map<*, *>) {
    val code = json["region_code"] as String
    val flavor = "region$code"
    val appId = json["app_id"] as String

    @Suppress("UNCHECKED_CAST")
    val names = json["names"] as Map<String, String>

    @Suppress("UNCHECKED_CAST")
    val languages = json["languages"] as List<String>
    val defaultLanguage = json["default_language"] as String
    private val redirect = json["redirect"] as Map<*, *>
    val scheme = redirect["scheme"] as String?
    val appLinkDomain = redirect["app_link_domain"] as String?
    val keystoreEnv = (json["signing"] as Map<*, *>)["android_keystore_env"] as String
    val rootKeys = json["root_keys"] as String
    private val version = json["version"] as Map<*, *>
    val versionName = version["name"] as String
    val versionCode = (version["code"] as Number).toInt()

    init {
        require(code == dir.name) { "region_code $code is not the folder's name" }
        require((scheme == null) != (appLinkDomain == null)) { "redirect needs a scheme or an app_link_domain" }
        require(defaultLanguage in languages) { "default_language is not among the languages" }
        require(names.keys.containsAll(languages)) { "names lacks a language" }
    }
}

fun readRegion(dir: File): Region =
    try {
        val json = JsonSlurper().parseText(dir.resolve("build.json").readText(Charsets.UTF_8)) as Map<*, *>
        Region(dir, json)
    } catch (e: Exception) {
        throw GradleException("regions/${dir.name}/build.json: ${e.message} (python3 regions/builds.py check says more)", e)
    }

// The regions are the folders under regions/ named by a 6-digit GB/T 2260
// code (regions/keys/ holds test signing keys); regions/builds.py uses the
// same rule, and fails on such a folder without a complete build.json.
val regionsDir: File = rootDir.resolve("../regions").normalize()
val regions: List<Region> = regionsDir.listFiles().orEmpty()
    .filter { it.isDirectory && Regex("\\d{6}").matches(it.name) }
    .sortedBy { it.name }
    .map(::readRegion)
if (regions.isEmpty()) throw GradleException("no region folders under $regionsDir")

/** A language that is its own ISO 639 code in Android's resource qualifiers (ug, en). */
fun plainLanguage(tag: String): String {
    if (!Regex("[a-z]{2,3}").matches(tag)) {
        throw GradleException("language $tag needs a line in androidLocales and valuesQualifier")
    }
    return tag
}

/**
 * The resource configurations a flavor keeps for a BCP 47 language
 * (`resConfigs`; libraries' translations under other locales are dropped).
 * Chinese is kept under both the region-qualified folders older libraries
 * use and the script-qualified ones. regions/builds.py LANGUAGES says the same.
 */
fun androidLocales(tag: String): List<String> = when (tag) {
    "zh-Hans" -> listOf("zh-rCN", "b+zh+Hans")
    "zh-Hant" -> listOf("b+zh+Hant", "zh-rTW", "zh-rHK")
    else -> listOf(plainLanguage(tag))
}

/** The values folder an app name is generated in: Android 7+ matches zh-CN to Hans, zh-TW/HK/MO to Hant. */
fun valuesQualifier(tag: String): String = when (tag) {
    "zh-Hans" -> "b+zh+Hans"
    "zh-Hant" -> "b+zh+Hant"
    else -> plainLanguage(tag)
}

/** Writes the app's name in each language the region offers, and the
 *  Android 13 per-app language list, as a generated resource folder. */
abstract class GenerateRegionResources : DefaultTask() {
    /** values qualifier -> the app's name in that language. */
    @get:Input
    abstract val names: MapProperty<String, String>

    /** BCP 47 tags, the default first. */
    @get:Input
    abstract val languages: ListProperty<String>

    @get:OutputDirectory
    abstract val outputDir: DirectoryProperty

    @TaskAction
    fun generate() {
        val out = outputDir.get().asFile
        out.deleteRecursively()
        for ((qualifier, name) in names.get()) {
            val values = File(out, "values-$qualifier").apply { mkdirs() }
            File(values, "region_names.xml").writeText(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" +
                    "<resources>\n    <string name=\"app_name\">${escape(name)}</string>\n</resources>\n",
            )
        }
        val xml = File(out, "xml").apply { mkdirs() }
        File(xml, "locales_config.xml").writeText(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" +
                "<locale-config xmlns:android=\"http://schemas.android.com/apk/res/android\">\n" +
                languages.get().joinToString("") { "    <locale android:name=\"$it\" />\n" } +
                "</locale-config>\n",
        )
    }

    private fun escape(s: String): String =
        s.replace("&", "&amp;").replace("<", "&lt;").replace("\\", "\\\\")
            .replace("'", "\\'").replace("\"", "\\\"")
}

/** Fails when the staged copies of the region's signed files and catalog
 *  are missing or are not byte for byte the ones in regions/<code>/, or the
 *  staged catalog holds a file the region's has not, such as a chunk of an
 *  older catalog (stage them again with scripts/build-region, which checks
 *  them first). */
abstract class VerifyStagedRegion : DefaultTask() {
    @get:Input
    abstract val code: Property<String>

    /** staged name -> the file in regions/<code>/. */
    @get:Input
    abstract val originals: MapProperty<String, String>

    @get:Internal
    abstract val stagedDir: DirectoryProperty

    @TaskAction
    fun verify() {
        val stale = "run scripts/build-region ${code.get()} android"
        val dir = stagedDir.get().asFile
        for ((name, original) in originals.get()) {
            val staged = dir.resolve(name)
            val want = File(original)
            if (!want.isFile) {
                throw GradleException(
                    "$original is missing: sign the profile with `palmgov region sign`, " +
                        "publish the catalog with tools/catalog (regions/README.md)",
                )
            }
            if (!staged.isFile || !staged.readBytes().contentEquals(want.readBytes())) {
                throw GradleException("region ${code.get()}: $staged is missing or stale; $stale")
            }
        }
        val extra = dir.resolve("catalog").walkTopDown()
            .filter { it.isFile }
            .map { it.relativeTo(dir).invariantSeparatorsPath }
            .firstOrNull { it !in originals.get() }
        if (extra != null) {
            throw GradleException("region ${code.get()}: ${dir.resolve(extra)} is not in regions/${code.get()}; $stale")
        }
    }
}

android {
    namespace = "org.palmgov.app"
    compileSdk = 35

    defaultConfig {
        // As the library: Android 8.0, phones still in use in villages.
        minSdk = 26
        targetSdk = 35
    }

    buildFeatures {
        buildConfig = true
        resValues = true
    }

    androidResources {
        // The catalog's chunks are zlib already: stored as they are, not
        // compressed a second time in the APK.
        noCompress += "zlib"
    }

    // A region's release key: the keystore file named by the variable in
    // its build.json, with <VAR>_PASSWORD, <VAR>_KEY_ALIAS and
    // <VAR>_KEY_PASSWORD (defaulting to the store password). Keys never
    // live in the repository. Without the variable the release build is
    // signed with the debug key: installable for testing, refused by stores.
    signingConfigs {
        for (region in regions) {
            val env = region.keystoreEnv
            val keystore = providers.environmentVariable(env).orNull ?: continue
            fun required(name: String): String = providers.environmentVariable(name).orNull
                ?: throw GradleException("$env is set, so $name must be too (regions/README.md)")
            create(region.flavor) {
                storeFile = file(keystore)
                storePassword = required("${env}_PASSWORD")
                keyAlias = required("${env}_KEY_ALIAS")
                keyPassword = providers.environmentVariable("${env}_KEY_PASSWORD").orNull ?: storePassword
            }
        }
    }

    flavorDimensions += "region"
    productFlavors {
        for (region in regions) {
            create(region.flavor) {
                dimension = "region"
                applicationId = region.appId
                versionCode = region.versionCode
                versionName = region.versionName
                // The name in the default language; the other languages'
                // come from GenerateRegionResources.
                resValue("string", "app_name", region.names.getValue(region.defaultLanguage))
                buildConfigField("String", "REGION_CODE", "\"${region.code}\"")
                resourceConfigurations += region.languages.flatMap(::androidLocales)
                region.scheme?.let { manifestPlaceholders["appAuthRedirectScheme"] = it }
                region.appLinkDomain?.let { manifestPlaceholders["appLinkHost"] = it }
                signingConfig = signingConfigs.findByName(region.flavor) ?: signingConfigs.getByName("debug")
            }
        }
    }

    sourceSets {
        for (region in regions) {
            maybeCreate(region.flavor).apply {
                assets.srcDir(file("build/region-assets/${region.code}"))
                res.srcDir(region.dir.resolve("icons/android"))
                // The redirect activity's intent filter: the custom scheme,
                // or an App Link verified against the domain's assetlinks.json.
                manifest.srcFile(if (region.scheme != null) "redirect/scheme/AndroidManifest.xml" else "redirect/app-link/AndroidManifest.xml")
            }
        }
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    packaging {
        // As in the library: keep the Rust library's unwinding tables, so a
        // panic becomes an exception. The app's packaging strips otherwise.
        jniLibs.keepDebugSymbols += "**/libpalmgov.so"
    }
}

val verifyTasks = regions.associate { region ->
    region.flavor to tasks.register<VerifyStagedRegion>("verify${region.flavor.replaceFirstChar(Char::uppercase)}StagedFiles") {
        code.set(region.code)
        stagedDir.set(layout.projectDirectory.dir("build/region-assets/${region.code}/region"))
        // The catalog's files as regions/<code>/catalog/ has them now; its
        // manifest always, so a region without a catalog does not package.
        val catalog = region.dir.resolve("catalog").walkTopDown()
            .filter { it.isFile }
            .map { it.relativeTo(region.dir).invariantSeparatorsPath }
            .toSortedSet() + "catalog/manifest.json"
        originals.set(
            (listOf("profile.json", "trust-list.json") + catalog).associateWith { region.dir.resolve(it).path } +
                ("profile-root.json" to region.dir.resolve(region.rootKeys).path),
        )
    }
}

val regionsByFlavor = regions.associateBy { it.flavor }
androidComponents {
    onVariants { variant ->
        val region = regionsByFlavor.getValue(variant.flavorName!!)
        val variantName = variant.name.replaceFirstChar(Char::uppercase)
        val generate = tasks.register<GenerateRegionResources>("generate${variantName}RegionResources") {
            names.set(region.languages.associate { valuesQualifier(it) to region.names.getValue(it) })
            languages.set(listOf(region.defaultLanguage) + (region.languages - region.defaultLanguage))
            outputDir.set(layout.buildDirectory.dir("generated/region-res/${variant.name}"))
        }
        variant.sources.res?.addGeneratedSourceDirectory(generate, GenerateRegionResources::outputDir)
        val verify = verifyTasks.getValue(region.flavor)
        tasks.configureEach {
            if (name == "merge${variantName}Assets") dependsOn(verify)
        }
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // The palmgov library is the root project (android/build.gradle.kts).
    implementation(project(":"))
}
