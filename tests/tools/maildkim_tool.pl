#!/usr/bin/perl
# Mail::DKIM (Debian libmail-dkim-perl) as a second, independent verifier for arcrelay's
# interop tests (tests/integration/interop).
#
#   maildkim_tool.pl arc-verify  ZONE FILE  -> "pass"/"fail"/"none" and the detail, then one
#                                              line per AMS/AS: "PREFIX i=N a=ALGO RESULT DETAIL"
#   maildkim_tool.pl dkim-verify ZONE FILE  -> one line per DKIM-Signature:
#                                              "d=DOMAIN s=SELECTOR a=ALGO RESULT DETAIL"
#
# ZONE is an RFC 1035 master file (parsed by Net::DNS::ZoneFile); every DNS query Mail::DKIM
# makes is answered from it: records of the asked type, NODATA, or NXDOMAIN. Nothing goes to
# the network. FILE may use LF or CRLF line ends; Mail::DKIM is fed CRLF lines.
# This Mail::DKIM (1.20230212) verifies rsa-sha256/rsa-sha1 only: an Ed25519 key record
# gives "unsupported key type" (RFC 8463 is not implemented there).
use strict;
use warnings;

use Mail::DKIM::ARC::Verifier;
use Mail::DKIM::DNS;
use Mail::DKIM::Verifier;
use Net::DNS;
use Net::DNS::ZoneFile;

# A Net::DNS::Resolver stand-in: the two methods Mail::DKIM::DNS::query calls.
package ZoneResolver {

    sub new {
        my ( $class, $path ) = @_;
        my %records;    # "owner\0TYPE" -> [RR...]
        my %owners;     # owner -> 1 (for NODATA versus NXDOMAIN)
        my $zone = Net::DNS::ZoneFile->new($path);
        while ( my $rr = $zone->read ) {
            my $owner = lc $rr->owner;
            $owner =~ s/\.$//;
            push @{ $records{ $owner . "\0" . uc $rr->type } }, $rr;
            $owners{$owner} = 1;
        }
        return bless { records => \%records, owners => \%owners, error => 'NOERROR' }, $class;
    }

    sub send {
        my ( $self, $name, $type ) = @_;
        my $owner = lc $name;
        $owner =~ s/\.$//;
        my $packet = Net::DNS::Packet->new( $name, $type );
        $packet->header->qr(1);
        if ( !$self->{owners}{$owner} ) {
            $packet->header->rcode('NXDOMAIN');
            return $packet;
        }
        $packet->push( answer => @{ $self->{records}{ $owner . "\0" . uc $type } || [] } );
        return $packet;
    }

    sub errorstring { return $_[0]{error}; }
}

package main;

sub read_crlf {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "$path: $!\n";
    local $/;
    my $text = <$fh>;
    close $fh;
    $text =~ s/\r?\n/\r\n/g;
    return $text;
}

sub one_line {
    my ($text) = @_;
    $text = defined $text ? $text : '';
    $text =~ s/\s+/ /g;
    return $text;
}

sub arc_verify {
    my ($message) = @_;
    my $arc = Mail::DKIM::ARC::Verifier->new();
    $arc->PRINT($message);
    $arc->CLOSE;
    print $arc->result, ' ', one_line( $arc->result_detail ), "\n";
    foreach my $sig ( $arc->signatures ) {
        printf "%s i=%s a=%s %s %s\n", $sig->prefix, $sig->instance // '?',
          $sig->algorithm // '?', $sig->result // 'none', one_line( $sig->result_detail );
    }
}

sub dkim_verify {
    my ($message) = @_;
    my $dkim = Mail::DKIM::Verifier->new();
    $dkim->PRINT($message);
    $dkim->CLOSE;
    foreach my $sig ( $dkim->signatures ) {
        printf "d=%s s=%s a=%s %s %s\n", $sig->domain // '?', $sig->selector // '?',
          $sig->algorithm // '?', $sig->result // 'none', one_line( $sig->result_detail );
    }
}

my ( $command, $zone, $file ) = @ARGV;
die "usage: $0 arc-verify|dkim-verify ZONE FILE\n" unless defined $file;
Mail::DKIM::DNS::resolver( ZoneResolver->new($zone) );
my $message = read_crlf($file);
if    ( $command eq 'arc-verify' )  { arc_verify($message) }
elsif ( $command eq 'dkim-verify' ) { dkim_verify($message) }
else                                { die "unknown command $command\n" }
