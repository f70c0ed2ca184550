"""Issue 14: idioms read from set R's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure.extract import extract
from tests.exposure_growth import grown

GO = """package api

func Register(router *gin.RouterGroup) {
	router.GET("/status", func(c *gin.Context) {
		conf, ok := get.Config(), true
		c.JSON(200, gin.H{"ok": ok, "name": conf.Name()})
	})
%s}
"""
STOP = """	router.POST("/server/stop", func(c *gin.Context) {
		s := Auth(c, acl.ResourceConfig, acl.ActionManage)
		if s.Invalid() {
			AbortForbidden(c)
			return
		}
		stop()
	})
"""
ECHO = """	router.Any("/echo", func(c *gin.Context) {
		// Abort if debug mode is disabled.
		if !get.Config().Debug() {
			AbortFeatureDisabled(c)
			return
		}
		c.JSON(200, gin.H{"headers": c.Request.Header})
	})
"""


def test_an_inline_go_handler_is_one_argument_whatever_commas_it_holds() -> None:
    status = extract({"internal/api/status.go": GO % ""})
    assert [(e.path, e.auth, e.reasons) for e in status] == [("/status", "unauthenticated", ())]


def test_an_inline_access_check_granting_management_of_the_configuration_is_admin_only() -> None:
    path = "internal/api/server.go"
    assert grown({path: GO % ""}, {path: GO % STOP}) == {("added", "POST", "/server/stop")}
    reading = STOP.replace("acl.ResourceConfig, acl.ActionManage", "acl.ResourcePhotos, acl.ActionView")
    assert grown({path: GO % ""}, {path: GO % reading}) == set()


def test_a_handler_refusing_unless_debug_mode_is_on_is_a_debugging_endpoint() -> None:
    path = "internal/api/echo.go"
    assert grown({path: GO % ""}, {path: GO % ECHO}) == {("added", "ANY", "/echo")}
    always = ECHO.replace("!get.Config().Debug()", "c.Request == nil")
    assert grown({path: GO % ""}, {path: GO % always}) == set()
