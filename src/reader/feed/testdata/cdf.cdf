<?xml version="1.0"?>
<!-- Channel Definition Format (W3C Note NOTE-CDFsubmit, 1997): a channel, its logo, items and a sub-channel. -->
<CHANNEL HREF="https://cdf.example/index.html" BASE="https://cdf.example/" LASTMOD="1998-11-05T22:12">
  <TITLE>Active Desktop News</TITLE>
  <ABSTRACT>Headlines &amp; stories, pushed daily</ABSTRACT>
  <LOGO HREF="img/logo.gif" STYLE="IMAGE"/>
  <SCHEDULE><INTERVALTIME DAY="1"/></SCHEDULE>
  <ITEM HREF="news/first.html" LASTMOD="1998-11-05T10:00">
    <TITLE>First story</TITLE>
    <ABSTRACT>The first &lt;b&gt;story&lt;/b&gt;</ABSTRACT>
    <USAGE VALUE="DesktopComponent"/>
  </ITEM>
  <CHANNEL HREF="https://cdf.example/sports/">
    <TITLE>Sports</TITLE>
    <ITEM HREF="sports/match.html" LASTMOD="1998-11-04T18:30">
      <TITLE>The match</TITLE>
      <ABSTRACT><![CDATA[A <close> one]]></ABSTRACT>
    </ITEM>
  </CHANNEL>
  <ITEM HREF="https://other.example/page.html"/>
</CHANNEL>
