// Android library module: the generated UniFFI bindings, the shared thin
// Kotlin layer, the Android hooks, and the native libraries. The region
// app in app/ depends on it and uses the plugin versions declared here.
//
// Before assembling, run scripts/build-android: it builds jniLibs with
// cargo-ndk (arm64-v8a, armeabi-v7a, x86_64) and generates the bindings
// into build/generated/uniffi/kotlin.
plugins {
    id("com.android.library") version "8.7.3"
    kotlin("android") version "2.1.0"
}

android {
    namespace = "org.palmgov"
    compileSdk = 35

    defaultConfig {
        // Android 8.0: phones still in use in villages. What each hook uses
        // below Android 11 is in BiometricAppLock and AndroidKeystore; the
        // core's native library must be linked for API 26 as well.
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets["main"].apply {
        java.srcDirs("src/shared/kotlin", "src/android/kotlin", "build/generated/uniffi/kotlin")
        jniLibs.srcDirs("src/main/jniLibs")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    packaging {
        // Keep the Rust library's unwinding tables: panics must become exceptions.
        jniLibs.keepDebugSymbols += "**/libpalmgov.so"
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // UniFFI's Kotlin bindings load the library through JNA; the @aar variant
    // ships JNA's own native parts for Android.
    implementation("net.java.dev.jna:jna:5.17.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
}
