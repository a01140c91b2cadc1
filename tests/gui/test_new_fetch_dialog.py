"""NewFetchDialog: validation as typed, the reasons shown, OK only when valid, the answer."""

from __future__ import annotations

from pathlib import Path

from bgfetch_gui.engine.model import Icon
from bgfetch_gui.qt import QGuiApplication
from bgfetch_gui.ui.new_fetch_dialog import LineError, NewFetchDialog, check_total, check_urls


def make_dialog(qtbot, **kwargs) -> NewFetchDialog:
    kwargs.setdefault("use_clipboard", False)
    dialog = NewFetchDialog(**kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_check_urls_gives_the_reason_per_line() -> None:
    urls, errors = check_urls("https://a.org/x\n\nftp://b.org/y\nhttp://user:pw@c.org/\n"
                              "https://d.org:25/z\n  http://e.org/ok  ")
    assert urls == ["https://a.org/x", "http://e.org/ok"]
    assert [e.line for e in errors] == [3, 4, 5]
    assert "only http and https" in errors[0].reason
    assert "credentials" in errors[1].reason and "pw" not in errors[1].reason
    assert "port 25" in errors[2].reason
    assert isinstance(errors[0], LineError)


def test_check_total_accepts_units() -> None:
    assert check_total("") == (0, "")
    assert check_total("60M") == (60 * 1024**2, "")
    assert check_total("1.5G") == (int(1.5 * 1024**3), "")
    size, problem = check_total("lots")
    assert size == 0 and "not a size" in problem


def test_ok_disabled_until_valid_and_reason_shown(qtbot) -> None:
    dialog = make_dialog(qtbot)
    dialog.show()
    assert not dialog.ok_button.isEnabled()  # empty: nothing to fetch
    assert dialog.errors_label.isHidden()  # but no scolding before typing

    dialog.urls_edit.setPlainText("https://example.org/a.mp3\nnot a url")
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors_label.isVisible()
    assert dialog.errors_label.text().startswith("Line 2: ")
    assert "whitespace" in dialog.errors_label.text()

    dialog.urls_edit.setPlainText("https://example.org/a.mp3\nhttps://example.org/a.jpg")
    assert dialog.ok_button.isEnabled()
    assert dialog.errors_label.isHidden()
    assert dialog.title_edit.placeholderText() == "a.mp3 (+1)"

    dialog.total_edit.setText("60 apples")
    assert not dialog.ok_button.isEnabled()
    assert "not a size" in dialog.total_error.text()
    dialog.total_edit.setText("60M")
    assert dialog.ok_button.isEnabled()

    dialog.icon_edit.setText("/no/such/icon.png")
    assert not dialog.ok_button.isEnabled()
    assert "no such file" in dialog.icon_error.text()
    dialog.icon_edit.setText("https://example.org/icon.png")
    assert dialog.ok_button.isEnabled()


def test_many_bad_lines_are_summarised(qtbot) -> None:
    dialog = make_dialog(qtbot)
    dialog.urls_edit.setPlainText("\n".join(f"ftp://x.org/{n}" for n in range(10)))
    lines = dialog.errors_label.text().splitlines()
    assert len(lines) == 5 and lines[-1] == "… and 6 more"


def test_spec_from_the_fields(qtbot, tmp_path: Path) -> None:
    icon = tmp_path / "icon.png"
    icon.write_bytes(b"png")
    dialog = make_dialog(qtbot, urls=["https://example.org/ep-5.mp3"],
                         default_folder=tmp_path / "Downloads")
    # One file goes straight into Downloads; a bundle into a folder named after its title.
    assert dialog.dest_edit.placeholderText() == str(tmp_path / "Downloads")
    dialog.urls_edit.setPlainText("https://example.org/ep-5.mp3\nhttps://example.org/ep-5.jpg")
    dialog.title_edit.setText("Episode 5")
    assert dialog.dest_edit.placeholderText() == str(tmp_path / "Downloads" / "Episode 5")
    dialog.title_edit.clear()
    dialog.urls_edit.setPlainText("https://example.org/ep-5.mp3")
    dialog.icon_edit.setText(str(icon))
    dialog.total_edit.setText("1.5G")
    dialog.dest_edit.setText(str(tmp_path / "here"))
    spec = dialog.spec()
    assert [r.url for r in spec.requests] == ["https://example.org/ep-5.mp3"]
    assert spec.options.title == "ep-5.mp3"  # guessed from the URL
    assert spec.options.download_total == int(1.5 * 1024**3)
    assert spec.options.icons == (Icon(str(icon)),)
    assert spec.dest == tmp_path / "here"
    dialog.title_edit.setText("Episode 5")
    assert dialog.spec().options.title == "Episode 5"
    assert dialog.spec().id != spec.id  # each accepted dialog is a new fetch


def test_prefilled_from_the_clipboard(qtbot) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("https://example.org/from-clipboard.zip")
    dialog = make_dialog(qtbot, use_clipboard=True)
    assert dialog.urls_edit.toPlainText() == "https://example.org/from-clipboard.zip"
    assert dialog.ok_button.isEnabled()

    clipboard.setText("some text, not a link")
    dialog = make_dialog(qtbot, use_clipboard=True)
    assert dialog.urls_edit.toPlainText() == ""
    clipboard.setText("")


def test_accept_refuses_while_invalid(qtbot) -> None:
    dialog = make_dialog(qtbot)
    dialog.urls_edit.setPlainText("javascript:alert(1)")
    dialog.accept()
    assert dialog.result() != NewFetchDialog.DialogCode.Accepted


def test_a_url_without_a_scheme_gets_https_and_a_note(qtbot) -> None:
    dialog = make_dialog(qtbot)
    dialog.show()
    dialog.urls_edit.setPlainText("example.org/ep-5.mp3\nhttps://example.org/ep-5.jpg")
    assert dialog.ok_button.isEnabled()
    assert dialog.scheme_note.isVisible()
    assert dialog.scheme_note.text() == "https:// was added to line 1."
    assert [r.url for r in dialog.spec().requests] == [
        "https://example.org/ep-5.mp3", "https://example.org/ep-5.jpg"]
    dialog.urls_edit.setPlainText("https://example.org/ep-5.mp3")
    assert dialog.scheme_note.isHidden()
    # Words are not hosts: a sentence stays an error.
    dialog.urls_edit.setPlainText("see the page")
    assert not dialog.ok_button.isEnabled() and dialog.errors_label.isVisible()


def test_each_error_sits_next_to_its_field(qtbot) -> None:
    dialog = make_dialog(qtbot)
    dialog.show()
    dialog.urls_edit.setPlainText("https://example.org/a.mp3")
    dialog.total_edit.setText("60 apples")
    dialog.icon_edit.setText("/no/such/icon.png")
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors_label.isHidden()  # the URLs are fine
    assert "not a size" in dialog.total_error.text() and dialog.total_error.isVisible()
    assert "no such file" in dialog.icon_error.text() and dialog.icon_error.isVisible()
    # Under its own field: the error's top is below the field's bottom, at the same left.
    for field, error in ((dialog.total_edit, dialog.total_error),
                         (dialog.icon_edit, dialog.icon_error)):
        assert error.geometry().top() >= field.geometry().bottom()
        assert error.geometry().left() == field.geometry().left()
    dialog.total_edit.setText("60M")
    dialog.icon_edit.clear()
    assert dialog.total_error.isHidden() and dialog.icon_error.isHidden()
    assert dialog.ok_button.isEnabled()


def test_the_clipboard_never_gets_a_scheme_added(qtbot) -> None:
    QGuiApplication.clipboard().setText("example.org")
    dialog = make_dialog(qtbot, use_clipboard=True)
    assert dialog.urls_edit.toPlainText() == ""


def test_integrity_pairs_line_by_line_with_the_urls_and_refuses_bad_metadata(qtbot) -> None:
    import base64
    import hashlib

    good = "sha256-" + base64.b64encode(hashlib.sha256(b"a").digest()).decode()
    dialog = make_dialog(qtbot)
    dialog.show()
    dialog.urls_edit.setPlainText("https://example.org/a.mp3\n\nhttps://example.org/b.jpg\n"
                                  "https://example.org/c.txt")
    dialog.integrity_edit.setPlainText("sha256-tooshort")
    assert not dialog.ok_button.isEnabled()
    assert dialog.integrity_error.isVisible()
    assert dialog.integrity_error.text().startswith("Integrity line 1: ")
    assert "32-byte sha256 digest" in dialog.integrity_error.text()

    dialog.integrity_edit.setPlainText(f"\n{good}\n\n\n")  # trailing empty lines: nothing
    assert dialog.ok_button.isEnabled() and dialog.integrity_error.isHidden()
    spec = dialog.spec()
    assert [r.integrity for r in spec.requests] == ["", good, ""]

    dialog.integrity_edit.setPlainText(f"{good}\n\n\n{good}")  # a 4th line for 3 URLs
    assert not dialog.ok_button.isEnabled()
    assert dialog.integrity_error.text() == "Integrity line 4: there is no URL 4"
