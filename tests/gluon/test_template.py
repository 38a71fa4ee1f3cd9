"""gluon.template: yatl's render and parse_template under web2py's names."""

from gluon.template import parse_template, render


def test_render_content_with_context():
    assert render(content="{{for i in range(a):}}{{=i}}<br />{{pass}}",
                  context=dict(a=3)) == "0<br />1<br />2<br />"
    assert render(content="{{=x}}", context=dict(x="<b>")) == "&lt;b&gt;"


def test_render_with_a_response_in_context_restores_its_body():
    from gluon.globals import Response

    response = Response()
    body = response.body
    assert render(content="hi {{=1+1}}", context=dict(response=response)) == "hi 2"
    assert response.body is body


def test_parse_template_extends_from_a_views_folder(tmp_path):
    (tmp_path / "layout.html").write_text("<main>{{include}}</main>")
    (tmp_path / "page.html").write_text("{{extend 'layout.html'}}x")
    code = parse_template("page.html", path=str(tmp_path))
    assert "<main>" in code and "x" in code
