// The palmgov Android library (the root project) and the region app (:app,
// one product flavor per regions/<code>/). Built with the Android Gradle
// Plugin on a machine with the Android SDK; the Linux CI builds the
// library's Kotlin through android/jvm/pom.xml instead, and parses these
// scripts (tools/syntax-check).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "palmgov-android"
include(":app")
