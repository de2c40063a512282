package org.palmgov

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * The e-licence wallet through the Kotlin layer, mirroring the Rust system
 * test (tests/tests/wallet.rs): the reference backend issues a resident's
 * licences bound to this phone, under a trust list its test roots signed
 * (pinned here, two of three); the core checks them offline; a suspension
 * shows once the status lists are fetched again, and a reinstatement too;
 * sign-out takes the licences with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalletTest {
    private lateinit var provider: TestProvider

    @BeforeAll
    fun start() {
        provider = TestProvider()
    }

    @AfterAll
    fun stop() = provider.close()

    @Test
    fun `a resident's licences are fetched, checked offline, suspended, reinstated and gone with sign-out`() = runBlocking<Unit> {
        ReferenceBackend(provider.issuer).use { backend ->
            PalmGovClient.open(
                tempDir(), PalmGovClient.serverConfig(backend.baseUrl), JvmKeystore(), JvmAppLock(),
                identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
                wallet = testWalletConfig(),
            ).use { core ->
                core.unlock("test")
                core.identity.login(HeadlessBrowser("alice"))

                val report = core.wallet.refresh()
                assertEquals(WalletRefresh(fetched = 4u, refused = 0u, kept = 0u), report)
                val list = core.wallet.licences("zh-Hans")
                assertEquals(
                    listOf("id_card", "household_register", "social_security_card", "driving_licence"),
                    list.map { it.licenceType },
                )
                assertTrue(list.all { it.verdict == LicenceVerdict.Valid }, list.toString())
                assertTrue(list.all { it.freshness == LicenceFreshness.CURRENT }, list.toString())
                assertEquals("居民身份证", list[0].displayName)
                assertEquals(
                    "居民身份证",
                    core.wallet.licenceTypes("zh-Hans").single { it.name == "id_card" }.displayName,
                )

                // Her own data, from the SM2-signed ID card; never printed.
                val card = list[0]
                assertTrue(card.id.startsWith("1.2.156.3005.2.11100000000013338W001."), card.id)
                val detail = core.wallet.licence(card.id, "en")
                assertEquals("\"陈丽华\"", detail.claims.single { it.name == "name" }.valueJson)
                assertEquals("\"${card.id}\"", detail.claims.single { it.name == "licence_id" }.valueJson)
                assertTrue("公安厅" in detail.issuer, detail.issuer)
                assertTrue("陈丽华" !in detail.toString(), detail.toString())

                // One phone holds them: this one.
                val devices = core.wallet.devices()
                assertEquals(1, devices.size, devices.toString())
                assertTrue(devices.single().thisDevice && !devices.single().revoked)

                assertEquals(LicenceVerdict.Valid, core.wallet.verifyLicence(card.id))

                // 暂扣: suspended once the status lists are fetched again.
                backend.setLicenceStatus(card.id, "suspended")
                assertEquals(
                    LicenceVerdict.Valid, core.wallet.verifyLicence(card.id),
                    "offline, the list fetched before the suspension still says valid",
                )
                assertTrue(core.wallet.refreshStatus() >= 1u)
                assertEquals(LicenceVerdict.Suspended, core.wallet.verifyLicence(card.id))
                assertEquals(LicenceVerdict.Suspended, core.wallet.licences("en")[0].verdict, "kept in the index")

                // Reinstated.
                backend.setLicenceStatus(card.id, "valid")
                core.wallet.refreshStatus()
                assertEquals(LicenceVerdict.Valid, core.wallet.verifyLicence(card.id))

                // Sign-out takes the licences with the account key: refused
                // while signed out, and none after signing in again until
                // the next refresh.
                core.identity.logout()
                assertFailsWith<PalmGovException.SignInRequired> { core.wallet.licences() }
                core.identity.login(HeadlessBrowser("alice"))
                assertEquals(emptyList(), core.wallet.licences())
                assertFailsWith<PalmGovException.NotFound> { core.wallet.verifyLicence(card.id) }
                assertEquals(4u, core.wallet.refresh().fetched)
                assertEquals(card.id, core.wallet.licences()[0].id)
            }
        }
    }

    @Test
    fun `without a wallet configuration the wallet refuses`() = runBlocking<Unit> {
        PalmGovClient.open(
            tempDir(), PalmGovClient.serverConfig("http://127.0.0.1:9/"), JvmKeystore(), JvmAppLock(),
            identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
        ).use { core ->
            core.unlock("test")
            core.identity.login(HeadlessBrowser("alice"))
            val refused = assertFailsWith<PalmGovException.InvalidInput> { core.wallet.refreshStatus() }
            assertTrue(refused.field.startsWith("wallet"), refused.field)
        }
    }

    private companion object {
        const val REDIRECT = "org.palmgov.app:/oauth2redirect"
    }
}
