// The palmgov Android library. Built with the Android Gradle Plugin on a
// machine with the Android SDK; the Linux CI builds the same Kotlin through
// android/jvm/pom.xml instead.
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
